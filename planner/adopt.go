package planner

import (
	"context"
	"strings"
	"time"
)

// UseRecommendation makes the recommendation the user's: it saves its role
// profile and a weekly plan proposed from it, in place of the active plan
// (same ID, next revision), with the slots around the busy pattern of the
// four weeks after this one when a work calendar is known. loc is the
// user's zone, for a first plan; now stamps the changes. The window's "Use
// this and propose a plan" and `kaiku role apply` both come here.
func UseRecommendation(ctx context.Context, store Store, rec Recommendation, loc *time.Location, now time.Time) (SlotPlan, error) {
	profile := rec.Profile
	profile.Updated = now
	old, err := ActivePlan(ctx, store, loc)
	if err != nil {
		return SlotPlan{}, err
	}
	if l, err := old.Location(); err == nil {
		loc = l
	}
	from := WeekStart(now, loc).AddDate(0, 0, 7)
	busy, err := store.BusyBetween(ctx, from, from.AddDate(0, 0, 28))
	if err != nil {
		return SlotPlan{}, err
	}
	pattern := BusyPattern{}
	if len(busy) > 0 {
		pattern = WeeklyBusyPattern(busy, from, 4, loc)
	}
	plan := ProposePlanAround(profile, old.TimeZone, NewID, pattern)
	plan.ID, plan.Updated, plan.Revision = old.ID, now, old.Revision+1
	for i := range plan.Slots {
		plan.Slots[i].Changed = now
	}
	if err := store.SaveProfile(ctx, profile); err != nil {
		return SlotPlan{}, err
	}
	if err := store.SavePlan(ctx, plan); err != nil {
		return SlotPlan{}, err
	}
	return plan, nil
}

// AddAnsweredGoals adds, as the user's goals, the organization's goals they
// picked in the questionnaire, named in their language by tr; a goal of the
// same name that is already there is not added again. It returns the goals
// added.
func AddAnsweredGoals(ctx context.Context, store GoalStore, a Answers, tr Translate, now time.Time) ([]Goal, error) {
	var q Question
	for _, x := range Questions() {
		if x.ID == QuestionGoals {
			q = x
		}
	}
	have, err := store.Goals(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, g := range have {
		known[strings.ToLower(strings.TrimSpace(g.Title))] = true
	}
	var added []Goal
	for _, id := range a[QuestionGoals] {
		o, ok := q.Option(id)
		if !ok {
			continue
		}
		title := tr(o.TextKey, id)
		if known[strings.ToLower(title)] {
			continue
		}
		known[strings.ToLower(title)] = true
		g := Goal{ID: NewID(), Title: title, Created: now, Updated: now}
		if err := store.SaveGoal(ctx, g); err != nil {
			return added, err
		}
		added = append(added, g)
	}
	return added, nil
}
