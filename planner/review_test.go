package planner_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func TestReview(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{
		slot("a", time.Monday, 9, 0, 30, planner.PurposeWrite),
		slot("b", time.Tuesday, 12, 0, 15, planner.PurposeShare),
		slot("c", time.Wednesday, 12, 30, 20, planner.PurposeConverse),
		slot("d", time.Thursday, 9, 0, 30, planner.PurposeWrite),
		slot("e", time.Friday, 8, 30, 15, planner.PurposeFollow),
	}}
	start := week1("2026-W49", hel)
	occ, err := plan.Occurrences(start, start.AddDate(0, 0, 7), nil)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, hel) }
	mon := time.Date(2026, 11, 30, 9, 10, 0, 0, hel)
	goals := []planner.Goal{{ID: "g1", Title: "Energy transition"}, {ID: "g2", Title: "Recruiting"}}
	profile := planner.RoleProfile{Primary: planner.RoleInforming, Mix: planner.ContentMix{Own: 60, Shared: 30, Conversation: 10}, Scope: planner.ScopeWork, WeeklyMinutes: 100}
	now := at(3, 8)

	busy := []planner.Post{
		{ID: "p1", Status: planner.StatusPublished, Purpose: planner.PurposeWrite, OccurrenceID: "a@2026-11-30", GoalID: "g1", Time: mon},
		{ID: "p2", Status: planner.StatusPublished, OccurrenceID: "b@2026-12-01", GoalID: "g1", Time: at(1, 12)}, // purpose from its slot
		{ID: "p3", Status: planner.StatusDraft, Purpose: planner.PurposeConverse, OccurrenceID: "c@2026-12-02"},
		{ID: "p4", Status: planner.StatusScheduled, Purpose: planner.PurposeWrite, OccurrenceID: "d@2026-12-03", GoalID: "deleted", Time: at(3, 9)},
		{ID: "p5", Status: planner.StatusPublished, Purpose: planner.PurposeConverse, Time: at(1, 15)},
		{ID: "p6", Status: planner.StatusPublished, Purpose: planner.PurposeWrite, Time: at(1, 15).AddDate(0, 0, -7), GoalID: "g2"},
		{ID: "p7", Status: planner.StatusIdea, Purpose: planner.PurposeWrite, Time: at(2, 10), GoalID: "g2"},
		{ID: "p8", Status: planner.StatusFailed, Purpose: planner.PurposeWrite, Time: at(2, 16), GoalID: "g1"},
		{ID: "p9", Status: planner.StatusPublished, Purpose: planner.PurposeShare, Time: at(7, 0), GoalID: "g2"}, // next Monday
	}
	ids := func(o []planner.Occurrence) []string {
		var out []string
		for _, x := range o {
			out = append(out, x.ID)
		}
		return out
	}
	keys := func(r planner.WeekReview) []string {
		var out []string
		for _, n := range r.Notes {
			out = append(out, n.Key)
		}
		return out
	}

	tests := []struct {
		name      string
		weekStart time.Time
		plan      planner.SlotPlan
		occ       []planner.Occurrence
		posts     []planner.Post
		goals     []planner.Goal
		check     func(t *testing.T, r planner.WeekReview)
	}{
		{
			name: "a busy week", weekStart: start, plan: plan, occ: occ, posts: busy, goals: goals,
			check: func(t *testing.T, r planner.WeekReview) {
				want := []planner.PurposeReview{
					{Purpose: planner.PurposeWrite, NameKey: "purpose.write", Slots: 2, Filled: 2, Done: 1, Pending: 2, TargetPercent: 60, ActualPercent: 34},
					{Purpose: planner.PurposeShare, NameKey: "purpose.share", Slots: 1, Filled: 1, Done: 1, TargetPercent: 30, ActualPercent: 33},
					// Only a draft names the converse slot: it is not filled.
					{Purpose: planner.PurposeConverse, NameKey: "purpose.converse", Slots: 1, Drafted: 1, Done: 1, TargetPercent: 10, ActualPercent: 33},
					{Purpose: planner.PurposeFollow, NameKey: "purpose.follow", Slots: 1},
				}
				if !reflect.DeepEqual(r.Purposes, want) {
					t.Errorf("purposes\n got %+v\nwant %+v", r.Purposes, want)
				}
				wantGoals := []planner.GoalReview{{GoalID: "g1", Title: "Energy transition", Posts: 3, Published: 2}, {GoalID: "g2", Title: "Recruiting"}}
				if !reflect.DeepEqual(r.Goals, wantGoals) || !slices.Equal(r.GoalsWithout, []string{"g2"}) || r.NoGoal != 2 {
					t.Errorf("goals %+v without %v no goal %d", r.Goals, r.GoalsWithout, r.NoGoal)
				}
				if r.Time != (planner.TimeReview{BudgetMinutes: 100, PlannedMinutes: 110, UsedMinutes: 75}) {
					t.Errorf("time %+v", r.Time)
				}
				if !slices.Equal(ids(r.EmptyPast), []string{"c@2026-12-02"}) || len(r.EmptyUpcoming) != 0 {
					t.Errorf("empty slots %v %v", ids(r.EmptyPast), ids(r.EmptyUpcoming))
				}
				wantNotes := []string{planner.NoteReviewFailed, planner.NoteReviewEmptyPast, planner.NoteReviewOverBudget,
					"review.note.mix_low.write", "review.note.mix_high.converse", planner.NoteReviewGoalWithout, planner.NoteReviewNoGoal}
				if !slices.Equal(keys(r), wantNotes) {
					t.Errorf("notes %v\nwant  %v", keys(r), wantNotes)
				}
				if r.Notes[1].Data["Count"] != 1 || r.Notes[2].Data["Planned"] != 110 || r.Notes[5].Data["Goal"] != "Recruiting" {
					t.Errorf("note data %+v", r.Notes)
				}
			},
		},
		{
			name: "nothing done yet", weekStart: start, plan: plan, occ: occ, goals: goals,
			check: func(t *testing.T, r planner.WeekReview) {
				if !slices.Equal(ids(r.EmptyPast), []string{"a@2026-11-30", "b@2026-12-01", "c@2026-12-02"}) ||
					!slices.Equal(ids(r.EmptyUpcoming), []string{"d@2026-12-03"}) {
					t.Errorf("empty past %v upcoming %v", ids(r.EmptyPast), ids(r.EmptyUpcoming))
				}
				if r.Time.UsedMinutes != 0 || r.Time.PlannedMinutes != 110 {
					t.Errorf("time %+v", r.Time)
				}
				wantNotes := []string{planner.NoteReviewEmptyPast, planner.NoteReviewOverBudget, planner.NoteReviewGoalWithout, planner.NoteReviewGoalWithout}
				if !slices.Equal(keys(r), wantNotes) || r.Notes[0].Data["Count"] != 3 {
					t.Errorf("notes %+v", r.Notes)
				}
				for _, p := range r.Purposes {
					if p.ActualPercent != 0 || p.Done != 0 {
						t.Errorf("%+v", p)
					}
				}
			},
		},
		{
			name: "an empty week", weekStart: start, plan: planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki"},
			check: func(t *testing.T, r planner.WeekReview) {
				if !slices.Equal(keys(r), []string{planner.NoteReviewNothingPlanned}) {
					t.Errorf("notes %v", keys(r))
				}
				if r.Goals == nil || len(r.Purposes) != 4 {
					t.Errorf("review %+v", r)
				}
			},
		},
		{
			name:      "a mid-week start is the same week; other weeks' occurrences are ignored",
			weekStart: at(3, 15), plan: plan,
			occ: append(slices.Clone(occ),
				occ[0], // a duplicate
				planner.Occurrence{ID: "a@2026-12-07", SlotID: "a", Start: at(7, 9), Minutes: 30, Purpose: planner.PurposeWrite}), // next week
			check: func(t *testing.T, r planner.WeekReview) {
				if r.Week != "2026-W49" || !r.Start.Equal(start) || !r.End.Equal(start.AddDate(0, 0, 7)) {
					t.Errorf("week %s %v–%v", r.Week, r.Start, r.End)
				}
				if r.Purposes[0].Slots != 2 || r.Time.PlannedMinutes != 110 {
					t.Errorf("duplicates or next week's occurrences counted: %+v %+v", r.Purposes[0], r.Time)
				}
			},
		},
		{
			name: "the mix is judged only from three published posts up", weekStart: start, plan: plan, occ: occ,
			posts: busy[:2], goals: goals[:1],
			check: func(t *testing.T, r planner.WeekReview) {
				for _, n := range r.Notes {
					if n.Key == "review.note.mix_high.share" || n.Key == "review.note.mix_low.write" || n.Key == "review.note.mix_low.converse" {
						t.Errorf("mix note from two posts: %s", n.Key)
					}
				}
				if r.Purposes[0].ActualPercent != 50 || r.Purposes[1].ActualPercent != 50 {
					t.Errorf("actual %+v", r.Purposes)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := planner.Review(tt.weekStart, tt.plan, tt.occ, tt.posts, tt.goals, profile, now)
			tt.check(t, r)
		})
	}
}

func TestReviewAcrossDST(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{slot("s", time.Sunday, 23, 30, 20, planner.PurposeWrite)}}
	start := week1("2026-W43", hel) // ends on 2026-10-25, when the clocks go back
	occ, _ := plan.Occurrences(start, start.AddDate(0, 0, 7), nil)
	r := planner.Review(start, plan, occ, nil, nil, planner.RoleProfile{}, start)
	if got := r.End.Sub(r.Start); got != 7*24*time.Hour+time.Hour {
		t.Errorf("the week lasts %v", got)
	}
	if r.Purposes[0].Slots != 1 || len(r.EmptyUpcoming) != 1 {
		t.Errorf("Sunday's slot missing: %+v", r.Purposes[0])
	}
}

// TestReviewLeavesOutTimeBeforeThePlan: a slot added on Wednesday has not
// been missed on Monday, and a draft in a slot leaves it empty.
func TestReviewLeavesOutTimeBeforeThePlan(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	start := week1("2026-W49", hel)
	added := time.Date(2026, 12, 2, 12, 0, 0, 0, hel)
	mon := slot("mon", time.Monday, 9, 0, 30, planner.PurposeShare)
	mon.Changed = added
	thu := slot("thu", time.Thursday, 9, 0, 30, planner.PurposeShare)
	thu.Changed = added
	plan := planner.SlotPlan{ID: "p", TimeZone: "Europe/Helsinki", Slots: []planner.Slot{mon, thu}}
	occ, err := plan.Occurrences(start, start.AddDate(0, 0, 7), nil)
	if err != nil {
		t.Fatal(err)
	}
	draft := planner.Post{ID: "d", Status: planner.StatusDraft, OccurrenceID: "thu@2026-12-03", Time: time.Date(2026, 12, 3, 9, 0, 0, 0, hel)}
	r := planner.Review(start, plan, occ, []planner.Post{draft}, nil, planner.RoleProfile{}, time.Date(2026, 12, 4, 12, 0, 0, 0, hel))
	share := r.Purposes[1]
	if share.Slots != 1 || share.Filled != 0 || share.Drafted != 1 {
		t.Errorf("share: %+v, want Thursday's slot alone, drafted and not filled", share)
	}
	if len(r.EmptyPast) != 1 || r.EmptyPast[0].ID != "thu@2026-12-03" {
		t.Errorf("missed %v, want Thursday's only: Monday came before the slot", r.EmptyPast)
	}
}

// TestReviewReadingCountsTheWeek: items read in the week and those a post of
// the week shared; an item read the week before or shared by another post
// does not count.
func TestReviewReadingCountsTheWeek(t *testing.T) {
	hel := mustLoad(t, "Europe/Helsinki")
	start := week1("2026-W49", hel)
	end := start.AddDate(0, 0, 7)
	items := []planner.Item{
		{ID: "a", Read: true, ReadAt: start.Add(time.Hour), SharedPostID: "p1"},
		{ID: "b", Read: true, ReadAt: start.Add(-time.Hour)},
		{ID: "c", SharedPostID: "elsewhere"},
		{ID: "d", Read: true, ReadAt: end.Add(-time.Minute)},
	}
	got := planner.ReviewReading(items, []planner.Post{{ID: "p1"}}, start, end)
	if got != (planner.ReadingReview{Read: 2, Shared: 1}) {
		t.Errorf("reading review %+v, want 2 read and 1 shared", got)
	}
}
