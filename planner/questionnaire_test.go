package planner_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kaiku-app/kaiku/planner"
)

func TestQuestionsShape(t *testing.T) {
	qs := planner.Questions()
	if len(qs) < 8 || len(qs) > 12 {
		t.Fatalf("%d questions, want 8 to 12", len(qs))
	}
	ids := map[string]bool{}
	pushed := map[planner.Role]bool{}
	for _, q := range qs {
		if ids[q.ID] {
			t.Errorf("duplicate question %s", q.ID)
		}
		ids[q.ID] = true
		if q.Kind != planner.SingleChoice && q.Kind != planner.MultiChoice {
			t.Errorf("%s: kind %q", q.ID, q.Kind)
		}
		if len(q.Options) < 2 {
			t.Errorf("%s: %d options", q.ID, len(q.Options))
		}
		opts := map[string]bool{}
		for _, o := range q.Options {
			if opts[o.ID] {
				t.Errorf("%s: duplicate option %s", q.ID, o.ID)
			}
			opts[o.ID] = true
			for r, n := range o.Points {
				if !r.Valid() {
					t.Errorf("%s/%s pushes unknown role %s", q.ID, o.ID, r)
				}
				if n > 0 {
					pushed[r] = true
				}
			}
		}
	}
	for _, r := range planner.Roles() {
		if !pushed[r] {
			t.Errorf("no option pushes %s", r)
		}
	}
	// The SEED questions must be there.
	for _, id := range []string{planner.QuestionProduction, planner.QuestionScope, planner.QuestionNatural, planner.QuestionExpectations,
		planner.QuestionTime, planner.QuestionGoals, planner.QuestionAudiences, planner.QuestionSpeed, planner.QuestionDebate} {
		if !ids[id] {
			t.Errorf("missing question %s", id)
		}
	}
	// Audience options follow the planner's audiences.
	for _, q := range qs {
		if q.ID != planner.QuestionAudiences {
			continue
		}
		for _, a := range planner.Audiences() {
			if _, ok := q.Option(string(a)); !ok {
				t.Errorf("audience %s is not an option", a)
			}
		}
	}
}

func TestQuestionsAreFresh(t *testing.T) {
	qs := planner.Questions()
	qs[0].Options[0].Points[planner.RoleInterests] = 100
	if planner.Questions()[0].Options[0].Points[planner.RoleInterests] == 100 {
		t.Error("changing the returned questions changed the questionnaire")
	}
}

func TestRecommendEveryRoleReachable(t *testing.T) {
	tests := []struct {
		want    planner.Role
		answers planner.Answers
	}{
		{planner.RoleInforming, planner.Answers{
			"production": {"own"}, "natural": {"announce"}, "expectations": {"field-news"}, "goals": {"reputation"},
			"audiences": {"media"}, "speed": {"prepared"}, "debate": {"avoid"}, "freedom": {"agreed"}}},
		{planner.RoleAdvising, planner.Answers{
			"production": {"own"}, "natural": {"explain"}, "expectations": {"advice"}, "goals": {"customers"},
			"audiences": {"customers"}, "debate": {"calm"}, "time": {"120"}}},
		{planner.RoleCurrentAffairs, planner.Answers{
			"natural": {"debate"}, "expectations": {"views"}, "speed": {"eager"}, "debate": {"enjoy"},
			"goals": {"influence"}, "audiences": {"decision-makers", "media"}, "networks": {"x"}}},
		{planner.RoleCollaboration, planner.Answers{
			"production": {"both"}, "natural": {"cooperate"}, "expectations": {"projects"}, "goals": {"partnerships"},
			"audiences": {"peers"}, "connecting": {"sometimes"}, "networks": {"linkedin"}}},
		{planner.RoleNetworking, planner.Answers{
			"production": {"share"}, "natural": {"connect"}, "expectations": {"people-events"}, "connecting": {"love"},
			"goals": {"recruiting"}, "debate": {"calm"}, "time": {"240"}}},
		{planner.RoleInterests, planner.Answers{
			"production": {"share"}, "scope": {"wider"}, "natural": {"enthuse"}, "expectations": {"passions"},
			"freedom": {"wide"}, "networks": {"mastodon"}, "time": {"30"}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.want), func(t *testing.T) {
			if err := tt.answers.Validate(); err != nil {
				t.Fatalf("answers: %v", err)
			}
			rec := planner.RecommendRoles(tt.answers)
			if rec.Profile.Primary != tt.want {
				t.Fatalf("primary = %s, want %s (ranking %+v)", rec.Profile.Primary, tt.want, scoresOf(rec))
			}
			if rec.Ranking[0].Score <= rec.Ranking[1].Score {
				t.Errorf("%s wins only by the tie order: %v", tt.want, scoresOf(rec))
			}
			if len(rec.Ranking[0].Reasons) == 0 {
				t.Error("the winner has no reasons")
			}
			if err := rec.Profile.Validate(); err != nil {
				t.Errorf("profile: %v", err)
			}
		})
	}
}

func scoresOf(rec planner.Recommendation) map[planner.Role]int {
	m := map[planner.Role]int{}
	for _, s := range rec.Ranking {
		m[s.Role] = s.Score
	}
	return m
}

func TestRecommendProfile(t *testing.T) {
	tests := []struct {
		name     string
		answers  planner.Answers
		minutes  int
		scope    planner.Scope
		networks []planner.Network
		notes    []string
		check    func(t *testing.T, rec planner.Recommendation)
	}{
		{
			name: "nothing answered", answers: nil, minutes: planner.DefaultWeeklyMinutes, scope: planner.ScopeWork,
			networks: []planner.Network{planner.NetworkX, planner.NetworkLinkedIn}, notes: []string{planner.NoteNoAnswers},
			check: func(t *testing.T, rec planner.Recommendation) {
				if rec.Profile.Primary != planner.RoleInforming || rec.Profile.Secondary != planner.RoleAdvising {
					t.Errorf("ties should follow the order of Roles, got %s, %s", rec.Profile.Primary, rec.Profile.Secondary)
				}
				for _, s := range rec.Ranking {
					if s.Score != 0 || len(s.Reasons) != 0 {
						t.Errorf("%s has score %d", s.Role, s.Score)
					}
				}
			},
		},
		{
			name:    "time and networks from the answers",
			answers: planner.Answers{"time": {"120"}, "networks": {"mastodon", "x"}, "scope": {"work"}},
			minutes: 120, scope: planner.ScopeWork, networks: []planner.Network{planner.NetworkX, planner.NetworkMastodon},
		},
		{
			name:    "defaults are noted",
			answers: planner.Answers{"natural": {"explain"}},
			minutes: planner.DefaultWeeklyMinutes, scope: planner.ScopeWork,
			networks: []planner.Network{planner.NetworkX, planner.NetworkLinkedIn},
			notes:    []string{planner.NoteDefaultTime, planner.NoteDefaultNetworks},
		},
		{
			name:    "scope question wins over freedom",
			answers: planner.Answers{"scope": {"work"}, "freedom": {"wide"}, "time": {"60"}, "networks": {"x"}},
			minutes: 60, scope: planner.ScopeWork, networks: []planner.Network{planner.NetworkX},
		},
		{
			name:    "freedom gives the scope when scope is unanswered",
			answers: planner.Answers{"freedom": {"wide"}, "time": {"60"}, "networks": {"x"}},
			minutes: 60, scope: planner.ScopeWider, networks: []planner.Network{planner.NetworkX},
		},
		{
			name:    "unsure of the room",
			answers: planner.Answers{"freedom": {"unsure"}, "time": {"60"}, "networks": {"x"}},
			minutes: 60, scope: planner.ScopeWork, networks: []planner.Network{planner.NetworkX},
			notes: []string{planner.NoteCheckFreedom},
		},
		{
			name: "unknown questions and options are ignored and noted",
			answers: planner.Answers{"colour": {"blue"}, "natural": {"sing", "debate"}, "time": {"9999"},
				"networks": {"myspace", "bluesky"}},
			minutes: planner.DefaultWeeklyMinutes, scope: planner.ScopeWork, networks: []planner.Network{planner.NetworkBluesky},
			notes: []string{planner.NoteDefaultTime, planner.NoteUnknownAnswers},
			check: func(t *testing.T, rec planner.Recommendation) {
				if rec.Profile.Primary != planner.RoleCurrentAffairs {
					t.Errorf("primary = %s, want current-affairs", rec.Profile.Primary)
				}
				n := noteData(rec, planner.NoteUnknownAnswers)["Count"]
				if n != 4 {
					t.Errorf("unknown count = %v, want 4", n)
				}
			},
		},
		{
			name:    "a single-choice question answered twice takes the first",
			answers: planner.Answers{"time": {"240", "30"}, "networks": {"x"}},
			minutes: 240, scope: planner.ScopeWork, networks: []planner.Network{planner.NetworkX},
			notes: []string{planner.NoteExtraChoices},
		},
		{
			name:    "duplicates count once",
			answers: planner.Answers{"natural": {"connect", "connect", "connect"}, "time": {"60", "60"}, "networks": {"x", "x"}},
			minutes: 60, scope: planner.ScopeWork, networks: []planner.Network{planner.NetworkX},
			check: func(t *testing.T, rec planner.Recommendation) {
				if s := scoresOf(rec)[planner.RoleNetworking]; s != 3 {
					t.Errorf("networking = %d, want 3", s)
				}
			},
		},
		{
			name: "contradictions are pointed out",
			answers: planner.Answers{"speed": {"eager"}, "debate": {"avoid"}, "production": {"own"}, "time": {"30"},
				"networks": {"x"}},
			minutes: 30, scope: planner.ScopeWork, networks: []planner.Network{planner.NetworkX},
			notes: []string{planner.NoteFastWithoutDebate, planner.NoteOwnNeedsTime},
		},
		{
			name:    "production shifts the mix",
			answers: planner.Answers{"production": {"share"}, "scope": {"wider"}, "time": {"60"}, "networks": {"x"}},
			minutes: 60, scope: planner.ScopeWider, networks: []planner.Network{planner.NetworkX},
			check: func(t *testing.T, rec planner.Recommendation) {
				if m := rec.Profile.Mix; m.Shared <= m.Own {
					t.Errorf("sharing should lead the mix, got %+v", m)
				}
			},
		},
		{
			name:    "empty option lists are no answer",
			answers: planner.Answers{"natural": {}, "time": nil},
			minutes: planner.DefaultWeeklyMinutes, scope: planner.ScopeWork,
			networks: []planner.Network{planner.NetworkX, planner.NetworkLinkedIn}, notes: []string{planner.NoteNoAnswers},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := planner.RecommendRoles(tt.answers)
			p := rec.Profile
			if err := p.Validate(); err != nil {
				t.Fatalf("profile: %v", err)
			}
			if p.WeeklyMinutes != tt.minutes || p.Scope != tt.scope || !slices.Equal(p.Networks, tt.networks) {
				t.Errorf("profile = %d min, %s, %v; want %d, %s, %v", p.WeeklyMinutes, p.Scope, p.Networks, tt.minutes, tt.scope, tt.networks)
			}
			var keys []string
			for _, n := range rec.Notes {
				keys = append(keys, n.Key)
			}
			if !slices.Equal(keys, tt.notes) {
				t.Errorf("notes = %v, want %v", keys, tt.notes)
			}
			if tt.check != nil {
				tt.check(t, rec)
			}
		})
	}
}

func noteData(rec planner.Recommendation, key string) map[string]any {
	for _, n := range rec.Notes {
		if n.Key == key {
			return n.Data
		}
	}
	return nil
}

func TestRecommendReasons(t *testing.T) {
	rec := planner.RecommendRoles(planner.Answers{"debate": {"avoid"}, "natural": {"debate"}})
	var ca planner.RoleScore
	for _, s := range rec.Ranking {
		if s.Role == planner.RoleCurrentAffairs {
			ca = s
		}
	}
	// Reasons follow the questionnaire's order, and negative pushes are kept.
	want := []planner.Reason{
		{QuestionID: "natural", OptionID: "debate", Points: 3, Key: "question.natural.debate.reason", Data: map[string]any{"Points": 3}},
		{QuestionID: "debate", OptionID: "avoid", Points: -3, Key: "question.debate.avoid.reason", Data: map[string]any{"Points": -3}},
	}
	if !reflect.DeepEqual(ca.Reasons, want) || ca.Score != 0 {
		t.Errorf("current-affairs = %d %+v, want 0 %+v", ca.Score, ca.Reasons, want)
	}
}

func TestRecommendOrderOfAnswersDoesNotMatter(t *testing.T) {
	a := planner.RecommendRoles(planner.Answers{"natural": {"connect", "debate", "explain"}, "audiences": {"media", "peers"}})
	b := planner.RecommendRoles(planner.Answers{"audiences": {"peers", "media"}, "natural": {"explain", "debate", "connect"}})
	if !reflect.DeepEqual(a, b) {
		t.Error("the same choices in another order gave another recommendation")
	}
}

func TestAnswersJSON(t *testing.T) {
	var a planner.Answers
	if err := json.Unmarshal([]byte(`{"natural":["debate"],"time":["120"]}`), &a); err != nil {
		t.Fatal(err)
	}
	if rec := planner.RecommendRoles(a); rec.Profile.Primary != planner.RoleCurrentAffairs || rec.Profile.WeeklyMinutes != 120 {
		t.Errorf("got %+v", rec.Profile)
	}
}

func TestAnswersValidate(t *testing.T) {
	tests := []struct {
		name string
		a    planner.Answers
		key  string
	}{
		{"empty", planner.Answers{}, ""},
		{"fine", planner.Answers{"natural": {"debate", "explain"}, "time": {"60"}}, ""},
		{"unknown question", planner.Answers{"colour": {"blue"}}, "error.answers.question"},
		{"unknown option", planner.Answers{"time": {"eternity"}}, "error.answers.option"},
		{"two answers to a single-choice question", planner.Answers{"time": {"30", "60"}}, "error.answers.single"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if tt.key == "" {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			var ie *planner.InvalidError
			if !errors.As(err, &ie) || ie.Key != tt.key || !errors.Is(err, planner.ErrInvalid) {
				t.Errorf("error = %v, want key %s", err, tt.key)
			}
		})
	}
}

func FuzzRecommend(f *testing.F) {
	f.Add(`{"natural":["debate"],"time":["120"]}`)
	f.Add(`{}`)
	f.Add(`{"time":["30","240"],"speed":["eager"],"debate":["avoid"]}`)
	f.Add(`{"":[""],"natural":["","enthuse","enthuse"]}`)
	f.Add("natural=connect,debate;time=60;networks=x,linkedin")
	f.Add("scope=wider;freedom=unsure;production=own;time=30")
	f.Add("\x00=\xff;;=,")
	f.Fuzz(func(t *testing.T, in string) {
		var a planner.Answers
		if json.Unmarshal([]byte(in), &a) != nil {
			a = planner.Answers{}
			for _, part := range strings.Split(in, ";") {
				q, opts, _ := strings.Cut(part, "=")
				a[q] = append(a[q], strings.Split(opts, ",")...)
			}
		}
		rec := planner.RecommendRoles(a)
		if len(rec.Ranking) != 6 {
			t.Fatalf("ranking has %d roles", len(rec.Ranking))
		}
		seen := map[planner.Role]bool{}
		order := planner.Roles()
		for i, s := range rec.Ranking {
			seen[s.Role] = true
			if i > 0 {
				prev := rec.Ranking[i-1]
				if prev.Score < s.Score || (prev.Score == s.Score && slices.Index(order, prev.Role) > slices.Index(order, s.Role)) {
					t.Fatalf("ranking out of order at %d: %+v", i, rec.Ranking)
				}
			}
		}
		if len(seen) != 6 {
			t.Fatalf("ranking repeats a role: %+v", rec.Ranking)
		}
		if err := rec.Profile.Validate(); err != nil {
			t.Fatalf("profile invalid: %v (%+v)", err, rec.Profile)
		}
		if rec.Profile.Primary != rec.Ranking[0].Role || rec.Profile.Secondary != rec.Ranking[1].Role {
			t.Fatal("profile roles differ from the ranking")
		}
		if !reflect.DeepEqual(rec, planner.RecommendRoles(a)) {
			t.Fatal("not deterministic")
		}
	})
}

// TestPickMakesIDontKnowStandAlone: "I don't know yet" clears the other
// answers of its question, and another answer clears it.
func TestPickMakesIDontKnowStandAlone(t *testing.T) {
	var q planner.Question
	for _, x := range planner.Questions() {
		if x.ID == planner.QuestionExpectations {
			q = x
		}
	}
	got := q.Pick([]string{"advice", "views"}, "unknown")
	if !slices.Equal(got, []string{"unknown"}) {
		t.Errorf("picking unknown after two answers gives %v", got)
	}
	if got := q.Pick(got, "advice"); !slices.Equal(got, []string{"advice"}) {
		t.Errorf("picking advice after unknown gives %v", got)
	}
	if got := q.Pick([]string{"advice"}, "views"); !slices.Equal(got, []string{"advice", "views"}) {
		t.Errorf("two ordinary answers give %v", got)
	}
}
