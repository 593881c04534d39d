package textrules_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/kaiku-app/kaiku/planner/textrules"
)

const twitterText = "testdata/twitter-text/"

type conformanceCase struct {
	Description string `yaml:"description"`
	Text        string `yaml:"text"`
	Expected    struct {
		WeightedLength    int  `yaml:"weightedLength"`
		Valid             bool `yaml:"valid"`
		Permillage        int  `yaml:"permillage"`
		DisplayRangeStart int  `yaml:"displayRangeStart"`
		DisplayRangeEnd   int  `yaml:"displayRangeEnd"`
		ValidRangeStart   int  `yaml:"validRangeStart"`
		ValidRangeEnd     int  `yaml:"validRangeEnd"`
	} `yaml:"expected"`
}

func loadValidate(t *testing.T) map[string][]conformanceCase {
	t.Helper()
	raw, err := os.ReadFile(twitterText + "validate.yml")
	if err != nil {
		t.Fatal(err)
	}
	// The other sections have other shapes; decode only the counter sections.
	var doc struct {
		Tests map[string]yaml.Node `yaml:"tests"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string][]conformanceCase{}
	for name, node := range doc.Tests {
		if !strings.HasSuffix(name, "CounterTest") {
			continue
		}
		var cases []conformanceCase
		if err := node.Decode(&cases); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = cases
	}
	return out
}

func loadConfig(t *testing.T, name string) textrules.Config {
	t.Helper()
	raw, err := os.ReadFile(twitterText + name)
	if err != nil {
		t.Fatal(err)
	}
	var cfg textrules.Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestConfigsMatchTwitterText(t *testing.T) {
	if got := loadConfig(t, "v2.json"); !reflect.DeepEqual(got, textrules.V2) {
		t.Errorf("V2 = %+v, v2.json = %+v", textrules.V2, got)
	}
	if got := loadConfig(t, "v3.json"); !reflect.DeepEqual(got, textrules.V3) {
		t.Errorf("V3 = %+v, v3.json = %+v", textrules.V3, got)
	}
}

func TestConformance(t *testing.T) {
	sections := loadValidate(t)
	for _, sec := range []struct {
		name   string
		config textrules.Config
		count  int
	}{
		{"WeightedTweetsCounterTest", textrules.V2, 20},
		{"WeightedTweetsWithDiscountedEmojiCounterTest", textrules.V3, 22},
		{"UnicodeDirectionalMarkerCounterTest", textrules.V3, 2},
	} {
		cases := sections[sec.name]
		if len(cases) != sec.count {
			t.Errorf("%s has %d cases, want %d", sec.name, len(cases), sec.count)
		}
		t.Run(sec.name, func(t *testing.T) {
			for i, c := range cases {
				t.Run(fmt.Sprintf("%02d_%s", i, c.Description), func(t *testing.T) {
					got := textrules.ParseX(c.Text, sec.config)
					e := c.Expected
					want := textrules.XResult{
						WeightedLength: e.WeightedLength,
						Permillage:     e.Permillage,
						Valid:          e.Valid,
						DisplayRange:   textrules.Range{Start: e.DisplayRangeStart, End: e.DisplayRangeEnd},
						ValidRange:     textrules.Range{Start: e.ValidRangeStart, End: e.ValidRangeEnd},
					}
					if got != want {
						t.Errorf("ParseX(%.60q)\n got %+v\nwant %+v", c.Text, got, want)
					}
				})
			}
		})
	}
}

// TestTLDs checks that every top-level domain twitter-text lists makes a URL, with and
// without a scheme.
func TestTLDs(t *testing.T) {
	raw, err := os.ReadFile(twitterText + "tlds.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests map[string][]struct {
			Text string `yaml:"text"`
		} `yaml:"tests"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for section, cases := range doc.Tests {
		for _, c := range cases {
			n++
			if got := textrules.ParseX(c.Text, textrules.V3).WeightedLength; got != 23 {
				t.Errorf("%s: %q weighs %d, want 23", section, c.Text, got)
			}
			bare := "see " + strings.TrimPrefix(c.Text, "https://") + " now"
			if got := textrules.ParseX(bare, textrules.V3).WeightedLength; got != 23+8 {
				t.Errorf("%s: %q weighs %d, want 31", section, bare, got)
			}
		}
	}
	if n < 1500 {
		t.Errorf("only %d domains in tlds.yml", n)
	}
}
