package textrules_test

import (
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

// post280 is a typical Finnish post with a link and an emoji that weighs exactly 280 on X.
const post280 = "Tänään julkaisimme Kaikun uuden version: viikkonäkymä näyttää nyt jokaisen kanavan " +
	"julkaisut yhdellä silmäyksellä, ja ketjujen pilkkominen osaa jättää linkit ehjiksi. " +
	"Lue lisää osoitteessa https://kaiku.app/blogi/versio-2 ja kerro, mitä mieltä olet! " +
	"Kiitos kärsivällisyydestä 🙏 Hyvää yötä"

func BenchmarkCountX280(b *testing.B) {
	if got := textrules.Count(textrules.X, post280); got.Length != 280 || !got.Valid {
		b.Fatalf("Count = %+v, want a valid 280", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		textrules.Count(textrules.X, post280)
	}
}

func BenchmarkCountMastodon(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		textrules.Count(textrules.Mastodon, post280)
	}
}

func BenchmarkCountBluesky(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		textrules.Count(textrules.Bluesky, post280)
	}
}

func BenchmarkSplitX(b *testing.B) {
	text := strings.Repeat(post280+" ", 10)
	b.ReportAllocs()
	for b.Loop() {
		textrules.Split(textrules.X, text)
	}
}
