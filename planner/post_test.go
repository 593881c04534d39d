package planner_test

import (
	"errors"
	"testing"

	"github.com/kaiku-app/kaiku/planner"
)

// TestLifeCycle is the post's life cycle as the user and the outbox live
// it: each move either of them makes is allowed, and nothing else.
func TestLifeCycle(t *testing.T) {
	const (
		idea       = planner.StatusIdea
		draft      = planner.StatusDraft
		scheduled  = planner.StatusScheduled
		publishing = planner.StatusPublishing
		published  = planner.StatusPublished
		failed     = planner.StatusFailed
		attention  = planner.StatusNeedsAttention
	)
	allowed := map[[2]planner.Status]string{
		{idea, draft}:           "the composer saves an idea as a draft",
		{idea, scheduled}:       "an idea is scheduled",
		{draft, idea}:           "a draft is put back among the ideas",
		{draft, scheduled}:      "a draft is scheduled",
		{draft, published}:      "a draft is posted by hand and marked published",
		{scheduled, idea}:       "a scheduled post is put back among the ideas",
		{scheduled, draft}:      "a scheduled post is saved as a draft again",
		{scheduled, publishing}: "the outbox starts sending",
		{scheduled, published}:  "a scheduled post is posted by hand",
		{scheduled, failed}:     "the outbox finds it cannot send (an account gone)",
		{scheduled, attention}:  "a late post waits for the user's word",
		{publishing, published}: "every part went out",
		{publishing, failed}:    "the network refused it",
		{publishing, attention}: "a crash left it unknown whether it went out",
		{publishing, scheduled}: "a run stopped before any request",
		{failed, draft}:         "the user skips it",
		{failed, scheduled}:     "the user publishes it again",
		{failed, published}:     "the user saw it went out after all",
		{attention, draft}:      "the user skips it",
		{attention, scheduled}:  "the user publishes it again",
		{attention, published}:  "the user confirms it went out",
		{attention, failed}:     "the outbox learns it did not go out",
		{idea, idea}:            "an idea saved again",
		{draft, draft}:          "a draft saved again",
		{scheduled, scheduled}:  "a scheduled post moved",
		{published, published}:  "a published post is posted by hand on one more network",
		{failed, failed}:        "a failed post edited",
		{attention, attention}:  "a post that needs attention edited",
		{"", idea}:              "a new idea",
		{"", draft}:             "a new draft",
		{"", scheduled}:         "a new post scheduled at once",
	}
	all := append([]planner.Status{""}, planner.Statuses()...)
	for _, from := range all {
		for _, to := range planner.Statuses() {
			why, want := allowed[[2]planner.Status{from, to}]
			if got := from.CanBecome(to); got != want {
				t.Errorf("%q.CanBecome(%q) = %v, want %v %s", from, to, got, want, why)
			}
		}
		if from.CanBecome("") || from.CanBecome("sent") {
			t.Errorf("%q may become a status that does not exist", from)
		}
	}
	for _, s := range planner.Statuses() {
		want := s == idea || s == draft || s == scheduled
		if got := planner.CanStartAs(s); got != want {
			t.Errorf("CanStartAs(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestStatusErrorIsConflict(t *testing.T) {
	err := error(&planner.StatusError{From: planner.StatusPublished, To: planner.StatusDraft})
	if !errors.Is(err, planner.ErrConflict) {
		t.Error("a refused status change is not a conflict")
	}
	msg, known := planner.Explain(err, english)
	if !known || msg != "The post is published now, so it cannot become draft. Nothing was changed." {
		t.Errorf("Explain = %q, %v", msg, known)
	}
}
