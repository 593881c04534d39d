package planner

import "sort"

// errorKeys are the keys of the planner's error messages: InvalidError's,
// StatusError's and Explain's.
var errorKeys = []string{
	"error.account.api_base", "error.add_status", "error.account.limit", "error.account.status",
	"error.answers.option", "error.answers.question", "error.answers.single",
	"error.audience", "error.budget",
	"error.calendar.address", "error.calendar.kind", "error.calendar.too_busy", "error.calendar.window",
	"error.clock", "error.conflict", "error.exception",
	"error.feed.error_code", "error.feed.failures", "error.feed.url", "error.feed.validator",
	"error.goal.title_empty", "error.goal.title_long",
	"error.id",
	"error.image.alt_long", "error.image.alt_utf8", "error.image.hash", "error.image.part", "error.image.size",
	"error.image.too_many", "error.image.type",
	"error.interrupted", "error.item.empty", "error.item.published", "error.item.url",
	"error.kit.duplicate", "error.kit.feed", "error.kit.hashtag", "error.kit.organization", "error.kit.too_many",
	"error.kit_item", "error.kit_newer", "error.kit_not_kit",
	"error.language", "error.late",
	"error.mix.range", "error.mix.sum", "error.network", "error.not_found",
	"error.occurrences.range",
	"error.post.empty", "error.post.needs_time", "error.post.publishing_now",
	"error.schedule.empty", "error.schedule.no_target", "error.schedule.no_time", "error.schedule.past", "error.schedule.too_long", "error.post.part_empty", "error.post.text_and_parts",
	"error.post.language", "error.post.status_change", "error.post.time_range", "error.post.too_long", "error.post.utf8",
	"error.purpose", "error.reminder", "error.work_hours", "error.role", "error.role.secondary", "error.scope",
	"error.slot.duplicate", "error.slot.minutes", "error.status", "error.text.too_long", "error.text.utf8", "error.timeout", "error.timezone",
	"error.unexpected",
	"error.week", "error.weekday",
}

// TranslationKeys lists, sorted, every translation key the planner can hand
// to the app: role texts, post kinds, purposes, questions and their options
// and reasons, recommendation notes, pre-publish warnings and checklist, week
// review notes and labels, and error messages.
func TranslationKeys() []string {
	set := map[string]bool{}
	add := func(keys ...string) {
		for _, k := range keys {
			set[k] = true
		}
	}
	for _, ri := range RoleCatalog() {
		add(ri.NameKey, ri.DescKey)
		add(ri.PostKindKeys...)
		add(ri.PromptKeys...)
	}
	for _, k := range postKinds {
		add("postkind." + k)
	}
	for _, p := range Purposes() {
		add(PurposeKey(p))
	}
	for _, st := range Statuses() {
		add("status." + string(st))
	}
	for _, d := range weekdayKeys {
		add("weekday.short." + d)
	}
	add(questionKeys()...)
	add(NoteNoAnswers, NoteUnknownAnswers, NoteExtraChoices, NoteDefaultTime, NoteDefaultNetworks,
		NoteFastWithoutDebate, NoteOwnNeedsTime, NoteCheckFreedom)
	add(WarnVoiceWe, WarnConfidential, WarnShareSource, WarnToneCaps, WarnToneExclamations,
		WarnDisclosure, WarnDisclosureVariant, WarnAvoidWord, WarnImageAlt, WarnImageAltPart)
	add(imageRuleKeys...)
	add(Checklist()...)
	add(NoteReviewNothingPlanned, NoteReviewAllFilled, NoteReviewEmptyPast, NoteReviewOverBudget,
		NoteReviewGoalWithout, NoteReviewNoGoal, NoteReviewFailed)
	for _, p := range []Purpose{PurposeWrite, PurposeShare, PurposeConverse} {
		add(NoteReviewMixLow+"."+string(p), NoteReviewMixHigh+"."+string(p))
	}
	add(ReviewLabels()...)
	add(NoteTimeGap, NoteTimeTwice)
	add(errorKeys...)
	for _, c := range FeedErrorCodes() {
		add(FeedErrorKey(c))
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
