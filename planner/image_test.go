package planner_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func img(n int, part int, alt string) planner.Image {
	return planner.Image{Hash: planner.ImageHash([]byte{byte(n)}), Alt: alt, Type: planner.ImageJPEG, Width: 1200, Height: 800, Part: part}
}

func imagePost(text string, parts []string, ims ...planner.Image) planner.Post {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	return planner.Post{ID: "p1", Text: text, Parts: parts, Images: ims, Status: planner.StatusDraft, Created: now, Updated: now}
}

func TestPostValidateImages(t *testing.T) {
	long := strings.Repeat("ä", planner.MaxAltLength)
	badHash := img(1, 0, "")
	badHash.Hash = strings.ToUpper(badHash.Hash)
	heic := img(1, 0, "")
	heic.Type = "image/heic"
	flat := img(1, 0, "")
	flat.Height = 0
	tests := []struct {
		name string
		post planner.Post
		key  string // "" when valid
	}{
		{"four images", imagePost("Slides", nil, img(1, 0, "a"), img(2, 0, "b"), img(3, 0, "c"), img(4, 0, "d")), ""},
		{"a fifth", imagePost("Slides", nil, img(1, 0, "a"), img(2, 0, "b"), img(3, 0, "c"), img(4, 0, "d"), img(5, 0, "e")), "error.image.too_many"},
		{"four in each part of a thread", imagePost("", []string{"one", "two"},
			img(1, 0, ""), img(2, 0, ""), img(3, 0, ""), img(4, 0, ""), img(5, 1, ""), img(6, 1, ""), img(7, 1, ""), img(8, 1, "")), ""},
		{"a fifth in a part", imagePost("", []string{"one", "two"},
			img(1, 1, ""), img(2, 1, ""), img(3, 1, ""), img(4, 1, ""), img(5, 1, "")), "error.image.too_many"},
		{"a part the post does not have", imagePost("Hi", nil, img(1, 1, "")), "error.image.part"},
		{"a negative part", imagePost("Hi", nil, img(1, -1, "")), "error.image.part"},
		{"only a picture", imagePost("", nil, img(1, 0, "A chart of the week")), ""},
		{"a part that is only a picture", imagePost("", []string{"one", " "}, img(1, 1, "")), ""},
		{"an empty part without one", imagePost("", []string{"one", " "}, img(1, 0, "")), "error.post.part_empty"},
		{"alt text as long as LinkedIn takes", imagePost("Hi", nil, img(1, 0, long)), ""},
		{"longer", imagePost("Hi", nil, img(1, 0, long+"x")), "error.image.alt_long"},
		{"alt text that is not UTF-8", imagePost("Hi", nil, img(1, 0, "\xff")), "error.image.alt_utf8"},
		{"a malformed hash", imagePost("Hi", nil, badHash), "error.image.hash"},
		{"an unknown type", imagePost("Hi", nil, heic), "error.image.type"},
		{"no height", imagePost("Hi", nil, flat), "error.image.size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.post.Validate()
			var ie *planner.InvalidError
			switch {
			case tt.key == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.key != "" && (!errors.As(err, &ie) || ie.Key != tt.key):
				t.Errorf("err %v, want key %s", err, tt.key)
			}
		})
	}
	empty := imagePost("", nil)
	if err := empty.Validate(); err == nil {
		t.Error("a draft with neither text nor picture was taken")
	}
}

func TestCheckImages(t *testing.T) {
	family := strings.Repeat("👨‍👩‍👧", 1500) // 1500 graphemes, 7500 characters
	four := imagePost("Slides", nil, img(1, 0, "a"), img(2, 0, "b"), img(3, 0, "c"), img(4, 0, "d"))
	smallInstance := planner.MastodonImageRules(2, 0, 0, nil)
	tests := []struct {
		name    string
		post    planner.Post
		network planner.Network
		rules   planner.ImageRules
		want    []string // keys
	}{
		{"four on X", four, planner.NetworkX, planner.ImageRulesFor(planner.NetworkX), nil},
		{"four on an instance that takes two", four, planner.NetworkMastodon, smallInstance, []string{"check.image.too_many"}},
		{"a thread part over the instance's limit", imagePost("", []string{"a", "b"}, img(1, 1, ""), img(2, 1, ""), img(3, 1, "")),
			planner.NetworkMastodon, smallInstance, []string{"check.image.too_many_part"}},
		{"1000 characters on X", imagePost("Hi", nil, img(1, 0, strings.Repeat("a", planner.AltLimitX))), planner.NetworkX, planner.ImageRulesFor(planner.NetworkX), nil},
		{"1001 on X", imagePost("Hi", nil, img(1, 0, strings.Repeat("a", planner.AltLimitX+1))), planner.NetworkX, planner.ImageRulesFor(planner.NetworkX), []string{"check.image.alt_too_long"}},
		{"1001 on Mastodon", imagePost("Hi", nil, img(1, 0, strings.Repeat("a", planner.AltLimitX+1))), planner.NetworkMastodon, planner.ImageRulesFor(planner.NetworkMastodon), nil},
		{"1501 on Mastodon", imagePost("Hi", nil, img(1, 0, strings.Repeat("a", planner.AltLimitMastodon+1))), planner.NetworkMastodon, planner.ImageRulesFor(planner.NetworkMastodon), []string{"check.image.alt_too_long"}},
		{"Bluesky counts graphemes", imagePost("Hi", nil, img(1, 0, family)), planner.NetworkBluesky, planner.ImageRulesFor(planner.NetworkBluesky), nil},
		{"LinkedIn counts characters", imagePost("Hi", nil, img(1, 0, family)), planner.NetworkLinkedIn, planner.ImageRulesFor(planner.NetworkLinkedIn), []string{"check.image.alt_too_long"}},
		{"in a thread the part is named", imagePost("", []string{"a", "b"}, img(1, 1, strings.Repeat("a", 2001))), planner.NetworkBluesky, planner.ImageRulesFor(planner.NetworkBluesky), []string{"check.image.alt_too_long_part"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var keys []string
			for _, p := range planner.CheckImages(tt.post, tt.network, tt.rules) {
				keys = append(keys, p.Key)
				if !errors.Is(p, planner.ErrInvalid) || p.Data["Network"] != tt.network.DisplayName() {
					t.Errorf("problem %v, data %v", p, p.Data)
				}
			}
			if !reflect.DeepEqual(keys, tt.want) {
				t.Errorf("keys %v, want %v", keys, tt.want)
			}
		})
	}
	probs := planner.CheckImages(imagePost("", []string{"a", "b"}, img(1, 1, strings.Repeat("a", 2001))), planner.NetworkBluesky, planner.ImageRulesFor(planner.NetworkBluesky))
	if d := probs[0].Data; d["Part"] != 2 || d["Number"] != 1 || d["Length"] != 2001 || d["Max"] != 2000 || probs[0].Part != 1 || probs[0].Image != 0 {
		t.Errorf("data %v, part %d, image %d", d, probs[0].Part, probs[0].Image)
	}
}

func TestMastodonImageRules(t *testing.T) {
	def := planner.MastodonImageRules(0, 0, 0, nil)
	if def.MaxImages != 4 || def.MaxBytes != 16<<20 || def.MaxPixels != 7680*4320 || def.MaxAlt != 1500 || len(def.Types) != 3 {
		t.Errorf("defaults %+v", def)
	}
	own := planner.MastodonImageRules(6, 8<<20, 4096*4096, []string{"image/jpeg", "image/png", "image/webp"})
	if own.MaxImages != 6 || own.MaxBytes != 8<<20 || own.MaxPixels != 4096*4096 || len(own.Types) != 3 {
		t.Errorf("the instance's own %+v", own)
	}
}

func TestCheckWarnsOfMissingAltText(t *testing.T) {
	warn := func(key string, data map[string]any) planner.Warning {
		return planner.Warning{Key: key, Data: data, Severity: planner.SeverityWarning}
	}
	tests := []struct {
		name string
		post planner.Post
		want []planner.Warning
	}{
		{"every image described", imagePost("Our week in one chart", nil, img(1, 0, "A bar chart")), []planner.Warning{
			{Key: planner.WarnVoiceWe, Data: map[string]any{"Word": "our"}, Severity: planner.SeverityNotice}}},
		{"the second has none", imagePost("Slides from today", nil, img(1, 0, "Title slide"), img(2, 0, "  ")),
			[]planner.Warning{warn(planner.WarnImageAlt, map[string]any{"Number": 2})}},
		{"a picture without text still gets told", imagePost("", nil, img(1, 0, "")),
			[]planner.Warning{warn(planner.WarnImageAlt, map[string]any{"Number": 1})}},
		{"in a thread, with the part", imagePost("", []string{"One", "Two"}, img(1, 0, "ok"), img(2, 1, "")),
			[]planner.Warning{warn(planner.WarnImageAltPart, map[string]any{"Number": 1, "Part": 2})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := planner.Check(tt.post, planner.Guidelines{}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestImageHashAndType(t *testing.T) {
	if h := planner.ImageHash([]byte("abc")); h != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" || !planner.ValidImageHash(h) {
		t.Errorf("hash %s", h)
	}
	for data, want := range map[string]string{
		"\xff\xd8\xff\xe0": planner.ImageJPEG, "\x89PNG\r\n\x1a\n": planner.ImagePNG, "GIF89a": planner.ImageGIF,
		"RIFF\x00\x00\x00\x00WEBP": "", "hello": "",
	} {
		if got := planner.ImageTypeOf([]byte(data)); got != want {
			t.Errorf("ImageTypeOf(%q) = %q, want %q", data, got, want)
		}
	}
}
