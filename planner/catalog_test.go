package planner_test

import (
	"slices"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func TestRoleCatalog(t *testing.T) {
	cat := planner.RoleCatalog()
	if len(cat) != len(planner.Roles()) {
		t.Fatalf("catalog has %d roles, want %d", len(cat), len(planner.Roles()))
	}
	for i, ri := range cat {
		t.Run(string(ri.Role), func(t *testing.T) {
			if ri.Role != planner.Roles()[i] {
				t.Errorf("role %d is %s, want the order of Roles", i, ri.Role)
			}
			if ri.NameKey == "" || ri.DescKey == "" {
				t.Error("missing name or description key")
			}
			if len(ri.PostKindKeys) < 2 {
				t.Errorf("only %d post kinds", len(ri.PostKindKeys))
			}
			if len(ri.PromptKeys) < 3 {
				t.Errorf("only %d prompts, want at least 3", len(ri.PromptKeys))
			}
			if err := ri.Mix.Validate(); err != nil {
				t.Errorf("mix: %v", err)
			}
			purposes := map[planner.Purpose]bool{}
			for _, it := range ri.Rhythm {
				purposes[it.Purpose] = true
				if !it.Purpose.Valid() || it.PerWeek() == 0 || !it.Start.Valid() || it.Minutes < 5 {
					t.Errorf("bad rhythm item %+v", it)
				}
				if it.Start.Minutes() < 8*60 || it.Start.Minutes()+it.Minutes > 17*60 {
					t.Errorf("rhythm item %+v is outside working hours", it)
				}
				for _, d := range it.Days {
					if d == time.Saturday || d == time.Sunday {
						t.Errorf("rhythm item %+v falls on a weekend", it)
					}
				}
			}
			for _, p := range planner.Purposes() {
				if !purposes[p] {
					t.Errorf("rhythm has no %s slot", p)
				}
			}
			if m := ri.RhythmMinutes(); m < 60 || m > 300 {
				t.Errorf("rhythm takes %d minutes a week", m)
			}
			if got := planner.InfoFor(ri.Role); !slices.Equal(got.PromptKeys, ri.PromptKeys) {
				t.Error("InfoFor differs from RoleCatalog")
			}
		})
	}
}

func TestInfoForIsACopy(t *testing.T) {
	a := planner.InfoFor(planner.RoleAdvising)
	a.Rhythm[0].Days[0] = time.Sunday
	a.PromptKeys[0] = "changed"
	b := planner.InfoFor(planner.RoleAdvising)
	if b.Rhythm[0].Days[0] == time.Sunday || b.PromptKeys[0] == "changed" {
		t.Error("changing one RoleInfo changed the catalogue")
	}
}

func TestInfoForUnknown(t *testing.T) {
	ri := planner.InfoFor("pundit")
	if ri.Role != "pundit" || ri.NameKey != "" || len(ri.Rhythm) != 0 {
		t.Errorf("InfoFor(unknown) = %+v", ri)
	}
}
