package planner

import (
	"time"
)

// PurposeReview is plan against reality for one purpose in a week.
type PurposeReview struct {
	Purpose Purpose `json:"purpose"`
	NameKey string  `json:"name_key"`
	// Slots is the number of the week's occurrences with this purpose; Filled
	// is how many of them a scheduled or published post fills (SlotFilled),
	// Drafted how many of the rest only a draft or an idea names.
	Slots   int `json:"slots"`
	Filled  int `json:"filled"`
	Drafted int `json:"drafted"`
	// Done counts published posts; Pending counts finished posts not out yet
	// (scheduled, publishing, failed, needs attention).
	Done    int `json:"done"`
	Pending int `json:"pending"`
	// TargetPercent is the profile's mix target (own = write, shared = share,
	// conversation = converse; follow has none). ActualPercent is the purpose's
	// share of the week's published write, share and converse posts.
	TargetPercent int `json:"target_percent"`
	ActualPercent int `json:"actual_percent"`
}

// GoalReview counts the week's finished posts serving one goal.
type GoalReview struct {
	GoalID    string `json:"goal_id"`
	Title     string `json:"title"`
	Posts     int    `json:"posts"` // published and pending
	Published int    `json:"published"`
}

// TimeReview compares the week's slots with the weekly time budget.
type TimeReview struct {
	BudgetMinutes int `json:"budget_minutes"`
	// PlannedMinutes is the length of all the week's occurrences.
	PlannedMinutes int `json:"planned_minutes"`
	// UsedMinutes is the length of the week's occurrences that a finished post
	// (anything past draft) fills: the planned time that produced something.
	// Follow slots leave no post behind and never count here.
	UsedMinutes int `json:"used_minutes"`
}

// WeekReview is the week's plan against what happened.
type WeekReview struct {
	Week  string    `json:"week"` // ISO week, "2026-W49"
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Purposes lists write, share, converse and follow, in that order.
	Purposes []PurposeReview `json:"purposes"`
	// Goals follows the order of the goals given; GoalsWithout lists the IDs of those with no post.
	Goals        []GoalReview `json:"goals"`
	GoalsWithout []string     `json:"goals_without,omitempty"`
	// NoGoal counts finished posts that serve no goal.
	NoGoal int        `json:"no_goal"`
	Time   TimeReview `json:"time"`
	// EmptyPast and EmptyUpcoming are the week's write, share and converse
	// occurrences no scheduled or published post fills, split at now.
	EmptyPast     []Occurrence `json:"empty_past,omitempty"`
	EmptyUpcoming []Occurrence `json:"empty_upcoming,omitempty"`
	Notes         []Note       `json:"notes,omitempty"`
	// Reading is the reading list's week: LoadWeek fills it where the
	// store keeps feeds.
	Reading ReadingReview `json:"reading,omitzero"`
}

// ReadingReview counts the reading list's items read and shared in a week.
type ReadingReview struct {
	Read   int `json:"read"`
	Shared int `json:"shared"`
}

// ReviewReading counts the items read in [start, end) and those shared by
// one of the week's posts.
func ReviewReading(items []Item, posts []Post, start, end time.Time) ReadingReview {
	week := make(map[string]bool, len(posts))
	for _, p := range posts {
		week[p.ID] = true
	}
	var r ReadingReview
	for _, it := range items {
		if it.Read && !it.ReadAt.Before(start) && it.ReadAt.Before(end) {
			r.Read++
		}
		if it.SharedPostID != "" && week[it.SharedPostID] {
			r.Shared++
		}
	}
	return r
}

// Week review note keys; the mix notes append ".write", ".share" or ".converse".
const (
	NoteReviewNothingPlanned = "review.note.nothing_planned"
	NoteReviewAllFilled      = "review.note.all_filled"
	NoteReviewEmptyPast      = "review.note.empty_past"
	NoteReviewOverBudget     = "review.note.over_budget"
	NoteReviewGoalWithout    = "review.note.goal_without_posts"
	NoteReviewNoGoal         = "review.note.no_goal"
	NoteReviewFailed         = "review.note.failed"
	NoteReviewMixLow         = "review.note.mix_low"
	NoteReviewMixHigh        = "review.note.mix_high"
)

// Labels for showing a WeekReview, as translation keys.
const (
	LabelReviewSlots         = "review.label.slots"
	LabelReviewFilled        = "review.label.filled"
	LabelReviewDone          = "review.label.done"
	LabelReviewPending       = "review.label.pending"
	LabelReviewTarget        = "review.label.target"
	LabelReviewActual        = "review.label.actual"
	LabelReviewBudget        = "review.label.budget"
	LabelReviewPlanned       = "review.label.planned_minutes"
	LabelReviewUsed          = "review.label.used_minutes"
	LabelReviewEmptyPast     = "review.label.empty_past"
	LabelReviewEmptyUpcoming = "review.label.empty_upcoming"
	LabelReviewGoals         = "review.label.goals"
	LabelReviewNoGoal        = "review.label.no_goal"
)

// ReviewLabels lists the review's label keys in the order a table shows them.
func ReviewLabels() []string {
	return []string{LabelReviewSlots, LabelReviewFilled, LabelReviewDone, LabelReviewPending, LabelReviewTarget,
		LabelReviewActual, LabelReviewBudget, LabelReviewPlanned, LabelReviewUsed, LabelReviewEmptyPast,
		LabelReviewEmptyUpcoming, LabelReviewGoals, LabelReviewNoGoal}
}

// Mix notes need this many published posts and this large a gap, in
// percentage points, so that one post more or less does not raise them.
const (
	reviewMixMinPosts = 3
	reviewMixGap      = 15
)

// SlotFilled reports whether a post in status s fills the slot it names:
// it is scheduled or out. A draft or an idea is work still to do, and a
// post that failed or waits for the user has not gone out.
func SlotFilled(s Status) bool {
	switch s {
	case StatusScheduled, StatusPublishing, StatusPublished:
		return true
	}
	return false
}

// postFinished reports whether a post's text is done: anything past draft.
func postFinished(s Status) bool {
	switch s {
	case StatusScheduled, StatusPublishing, StatusPublished, StatusFailed, StatusNeedsAttention:
		return true
	}
	return false
}

// Review sums up the ISO week that holds weekStart (normalized to Monday
// 00:00 in the plan's zone). occurrences are the week's concrete slots, with
// exceptions applied (others are ignored); posts are counted when their time
// is in the week or they fill one of its occurrences. A post without a
// purpose takes the purpose of the occurrence it fills. now splits empty
// slots into past and upcoming. An occurrence from before its slot was made
// or last changed, with no post in it, is left out: the plan did not ask
// for it then, so it was not missed.
func Review(weekStart time.Time, plan SlotPlan, occurrences []Occurrence, posts []Post, goals []Goal, profile RoleProfile, now time.Time) WeekReview {
	loc, err := plan.Location()
	if err != nil {
		loc = weekStart.Location()
	}
	start := WeekStart(weekStart, loc)
	next := start.AddDate(0, 0, 8) // a day past, so that a DST change cannot land us on Sunday
	end := WeekStart(next, loc)
	if !end.After(start) {
		end = start.Add(7 * 24 * time.Hour)
	}
	r := WeekReview{Week: ISOWeekString(start), Start: start, End: end, Goals: []GoalReview{}}
	r.Time.BudgetMinutes = profile.WeeklyMinutes

	inWeek := func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
	named := map[string]bool{}
	for _, p := range posts {
		if p.OccurrenceID != "" {
			named[p.OccurrenceID] = true
		}
	}
	var occ []Occurrence
	byID := map[string]int{}
	for _, o := range occurrences {
		if _, dup := byID[o.ID]; dup || !inWeek(o.Start) {
			continue
		}
		if s, ok := plan.Slot(o.SlotID); ok && o.Start.Before(s.Changed) && !named[o.ID] {
			continue // before the plan asked for it
		}
		byID[o.ID] = len(occ)
		occ = append(occ, o)
	}
	var week []Post
	for _, p := range posts {
		_, fills := byID[p.OccurrenceID]
		if (p.OccurrenceID != "" && fills) || (!p.Time.IsZero() && inWeek(p.Time)) {
			week = append(week, p)
		}
	}

	// Which occurrences a scheduled or published post fills, which only a
	// draft names, and which a finished post names.
	filled := map[string]bool{}
	drafted := map[string]bool{}
	done := map[string]bool{}
	for _, p := range week {
		if _, ok := byID[p.OccurrenceID]; !ok {
			continue
		}
		if SlotFilled(p.Status) {
			filled[p.OccurrenceID] = true
		} else if p.Status == StatusDraft || p.Status == StatusIdea {
			drafted[p.OccurrenceID] = true
		}
		if postFinished(p.Status) {
			done[p.OccurrenceID] = true
		}
	}

	order := []Purpose{PurposeWrite, PurposeShare, PurposeConverse, PurposeFollow}
	stats := map[Purpose]*PurposeReview{}
	for _, pu := range order {
		stats[pu] = &PurposeReview{Purpose: pu, NameKey: PurposeKey(pu)}
	}
	stats[PurposeWrite].TargetPercent = profile.Mix.Own
	stats[PurposeShare].TargetPercent = profile.Mix.Shared
	stats[PurposeConverse].TargetPercent = profile.Mix.Conversation

	postSlots := 0
	for _, o := range occ {
		r.Time.PlannedMinutes += o.Minutes
		if done[o.ID] {
			r.Time.UsedMinutes += o.Minutes
		}
		st, ok := stats[o.Purpose]
		if !ok {
			continue
		}
		st.Slots++
		switch {
		case filled[o.ID]:
			st.Filled++
		case drafted[o.ID]:
			st.Drafted++
		}
		if o.Purpose == PurposeFollow {
			continue
		}
		postSlots++
		if !filled[o.ID] {
			if o.Start.Before(now) {
				r.EmptyPast = append(r.EmptyPast, o)
			} else {
				r.EmptyUpcoming = append(r.EmptyUpcoming, o)
			}
		}
	}

	goalIndex := map[string]int{}
	for _, g := range goals {
		if _, dup := goalIndex[g.ID]; dup {
			continue
		}
		goalIndex[g.ID] = len(r.Goals)
		r.Goals = append(r.Goals, GoalReview{GoalID: g.ID, Title: g.Title})
	}
	failed := 0
	for _, p := range week {
		if !postFinished(p.Status) {
			continue
		}
		pu := p.Purpose
		if pu == "" {
			if i, ok := byID[p.OccurrenceID]; ok {
				pu = occ[i].Purpose
			}
		}
		if st, ok := stats[pu]; ok && pu != PurposeFollow {
			if p.Status == StatusPublished {
				st.Done++
			} else {
				st.Pending++
			}
		}
		if p.Status == StatusFailed || p.Status == StatusNeedsAttention {
			failed++
		}
		if i, ok := goalIndex[p.GoalID]; ok && p.GoalID != "" {
			r.Goals[i].Posts++
			if p.Status == StatusPublished {
				r.Goals[i].Published++
			}
		} else {
			r.NoGoal++
		}
	}

	// Actual shares by the largest remainder, so that they sum to 100.
	mixPurposes := order[:3]
	total := 0
	for _, pu := range mixPurposes {
		total += stats[pu].Done
	}
	if total > 0 {
		given, rem := 0, make([]int, 3)
		for i, pu := range mixPurposes {
			stats[pu].ActualPercent = stats[pu].Done * 100 / total
			rem[i] = stats[pu].Done * 100 % total
			given += stats[pu].ActualPercent
		}
		for ; given < 100; given++ {
			best := 0
			for i := 1; i < 3; i++ {
				if rem[i] > rem[best] {
					best = i
				}
			}
			stats[mixPurposes[best]].ActualPercent++
			rem[best] = -1
		}
	}
	for _, pu := range order {
		r.Purposes = append(r.Purposes, *stats[pu])
	}

	// Notes, from the most to the least pressing.
	note := func(key string, data map[string]any) { r.Notes = append(r.Notes, Note{Key: key, Data: data}) }
	if len(occ) == 0 && len(week) == 0 {
		note(NoteReviewNothingPlanned, nil)
	}
	if failed > 0 {
		note(NoteReviewFailed, map[string]any{"Count": failed})
	}
	if n := len(r.EmptyPast); n > 0 {
		note(NoteReviewEmptyPast, map[string]any{"Count": n})
	}
	if postSlots > 0 && len(r.EmptyPast) == 0 && len(r.EmptyUpcoming) == 0 {
		note(NoteReviewAllFilled, nil)
	}
	if b := r.Time.BudgetMinutes; b > 0 && r.Time.PlannedMinutes > b {
		note(NoteReviewOverBudget, map[string]any{"Planned": r.Time.PlannedMinutes, "Budget": b})
	}
	if total >= reviewMixMinPosts && profile.Mix.Validate() == nil {
		for _, pu := range mixPurposes {
			st := stats[pu]
			switch diff := st.ActualPercent - st.TargetPercent; {
			case diff <= -reviewMixGap:
				note(NoteReviewMixLow+"."+string(pu), map[string]any{"Actual": st.ActualPercent, "Target": st.TargetPercent})
			case diff >= reviewMixGap:
				note(NoteReviewMixHigh+"."+string(pu), map[string]any{"Actual": st.ActualPercent, "Target": st.TargetPercent})
			}
		}
	}
	for _, g := range r.Goals {
		if g.Posts == 0 {
			r.GoalsWithout = append(r.GoalsWithout, g.GoalID)
			note(NoteReviewGoalWithout, map[string]any{"Goal": g.Title})
		}
	}
	if r.NoGoal > 0 && len(r.Goals) > 0 {
		note(NoteReviewNoGoal, map[string]any{"Count": r.NoGoal})
	}
	return r
}
