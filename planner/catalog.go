package planner

import (
	"strconv"
	"time"
)

// RhythmItem is one line of a role's suggested week: slots of one purpose on
// the given weekdays, each starting at Start and lasting Minutes.
type RhythmItem struct {
	Purpose Purpose        `json:"purpose"`
	Days    []time.Weekday `json:"days"`
	Start   ClockTime      `json:"start"`
	Minutes int            `json:"minutes"`
}

// PerWeek is how many slots the item asks for each week.
func (r RhythmItem) PerWeek() int { return len(r.Days) }

// RoleInfo describes a role for the role selector, the composer and the planner.
// Every text is a translation key.
type RoleInfo struct {
	Role         Role     `json:"role"`
	NameKey      string   `json:"name_key"`
	DescKey      string   `json:"desc_key"`
	PostKindKeys []string `json:"post_kind_keys"`
	PromptKeys   []string `json:"prompt_keys"`
	// Mix is the content mix the role leans to; the role selector blends the
	// primary and secondary role's mixes.
	Mix ContentMix `json:"mix"`
	// Rhythm is the suggested week, in working-day local times.
	Rhythm []RhythmItem `json:"rhythm"`
}

// RhythmMinutes is the weekly time the role's suggested rhythm takes.
func (ri RoleInfo) RhythmMinutes() int {
	total := 0
	for _, it := range ri.Rhythm {
		total += it.PerWeek() * it.Minutes
	}
	return total
}

// PurposeKey is the translation key of a purpose's name, for example "purpose.write".
func PurposeKey(p Purpose) string { return "purpose." + string(p) }

// PurposeName is the purpose's name in the user's language.
func PurposeName(p Purpose, tr Translate) string { return tr(PurposeKey(p), string(p)) }

// RoleName is the role's name in the user's language.
func RoleName(r Role, tr Translate) string { return tr(InfoFor(r).NameKey, string(r)) }

// Post kinds, named by their translation keys' last part.
var postKinds = []string{
	"news", "publication", "event", "behind-the-scenes",
	"howto", "faq", "explainer",
	"opinion", "quick-comment", "analysis",
	"project-update", "thanks", "call-for-partners",
	"introduction", "recommendation", "question",
	"reading-tip", "interest",
}

func onDays(d ...time.Weekday) []time.Weekday { return d }

func clockAt(h, m int) ClockTime { return ClockTime{Hour: h, Minute: m} }

// roleData is the catalogue's content apart from the keys, which follow from the role's name.
type roleData struct {
	kinds   []string
	prompts int
	mix     ContentMix
	rhythm  []RhythmItem
}

// roleCatalogData is kept as a function so that callers never share (and mutate) one copy.
func roleCatalogData() map[Role]roleData {
	return map[Role]roleData{
		RoleInforming: {
			kinds:   []string{"news", "publication", "event", "behind-the-scenes"},
			prompts: 4,
			mix:     ContentMix{Own: 60, Shared: 30, Conversation: 10},
			rhythm: []RhythmItem{
				{Purpose: PurposeFollow, Days: onDays(time.Monday, time.Wednesday), Start: clockAt(8, 30), Minutes: 15},
				{Purpose: PurposeWrite, Days: onDays(time.Tuesday, time.Thursday), Start: clockAt(9, 0), Minutes: 30},
				{Purpose: PurposeShare, Days: onDays(time.Wednesday), Start: clockAt(12, 0), Minutes: 15},
				{Purpose: PurposeConverse, Days: onDays(time.Friday), Start: clockAt(14, 0), Minutes: 15},
			},
		},
		RoleAdvising: {
			kinds:   []string{"howto", "faq", "explainer"},
			prompts: 4,
			mix:     ContentMix{Own: 40, Shared: 20, Conversation: 40},
			rhythm: []RhythmItem{
				{Purpose: PurposeFollow, Days: onDays(time.Monday), Start: clockAt(8, 30), Minutes: 15},
				{Purpose: PurposeWrite, Days: onDays(time.Wednesday), Start: clockAt(10, 0), Minutes: 30},
				{Purpose: PurposeConverse, Days: onDays(time.Monday, time.Wednesday, time.Friday), Start: clockAt(12, 30), Minutes: 20},
				{Purpose: PurposeShare, Days: onDays(time.Thursday), Start: clockAt(14, 0), Minutes: 15},
			},
		},
		RoleCurrentAffairs: {
			kinds:   []string{"opinion", "quick-comment", "analysis"},
			prompts: 4,
			mix:     ContentMix{Own: 30, Shared: 20, Conversation: 50},
			rhythm: []RhythmItem{
				{Purpose: PurposeFollow, Days: onDays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday), Start: clockAt(8, 0), Minutes: 15},
				{Purpose: PurposeConverse, Days: onDays(time.Tuesday, time.Wednesday, time.Thursday), Start: clockAt(12, 0), Minutes: 20},
				{Purpose: PurposeWrite, Days: onDays(time.Thursday), Start: clockAt(10, 0), Minutes: 30},
				{Purpose: PurposeShare, Days: onDays(time.Monday, time.Friday), Start: clockAt(13, 0), Minutes: 10},
			},
		},
		RoleCollaboration: {
			kinds:   []string{"project-update", "thanks", "call-for-partners"},
			prompts: 4,
			mix:     ContentMix{Own: 35, Shared: 35, Conversation: 30},
			rhythm: []RhythmItem{
				{Purpose: PurposeFollow, Days: onDays(time.Monday), Start: clockAt(9, 0), Minutes: 15},
				{Purpose: PurposeShare, Days: onDays(time.Monday, time.Thursday), Start: clockAt(10, 0), Minutes: 15},
				{Purpose: PurposeWrite, Days: onDays(time.Tuesday), Start: clockAt(13, 0), Minutes: 30},
				{Purpose: PurposeConverse, Days: onDays(time.Wednesday, time.Friday), Start: clockAt(11, 0), Minutes: 20},
			},
		},
		RoleNetworking: {
			kinds:   []string{"introduction", "recommendation", "event", "question"},
			prompts: 4,
			mix:     ContentMix{Own: 20, Shared: 30, Conversation: 50},
			rhythm: []RhythmItem{
				{Purpose: PurposeFollow, Days: onDays(time.Monday, time.Thursday), Start: clockAt(8, 30), Minutes: 15},
				{Purpose: PurposeConverse, Days: onDays(time.Monday, time.Wednesday, time.Friday), Start: clockAt(11, 30), Minutes: 20},
				{Purpose: PurposeShare, Days: onDays(time.Tuesday, time.Thursday), Start: clockAt(9, 30), Minutes: 15},
				{Purpose: PurposeWrite, Days: onDays(time.Wednesday), Start: clockAt(14, 0), Minutes: 20},
			},
		},
		RoleInterests: {
			kinds:   []string{"reading-tip", "interest", "question"},
			prompts: 4,
			mix:     ContentMix{Own: 30, Shared: 55, Conversation: 15},
			rhythm: []RhythmItem{
				{Purpose: PurposeFollow, Days: onDays(time.Monday, time.Wednesday), Start: clockAt(15, 0), Minutes: 20},
				{Purpose: PurposeShare, Days: onDays(time.Tuesday, time.Friday), Start: clockAt(15, 0), Minutes: 15},
				{Purpose: PurposeWrite, Days: onDays(time.Wednesday), Start: clockAt(15, 30), Minutes: 30},
				{Purpose: PurposeConverse, Days: onDays(time.Thursday), Start: clockAt(15, 30), Minutes: 15},
			},
		},
	}
}

// RoleCatalog describes the six roles, in the canonical order of Roles.
func RoleCatalog() []RoleInfo {
	out := make([]RoleInfo, 0, len(Roles()))
	for _, r := range Roles() {
		out = append(out, InfoFor(r))
	}
	return out
}

// InfoFor describes one role; an unknown role gets a RoleInfo with only Role set.
func InfoFor(r Role) RoleInfo {
	d, ok := roleCatalogData()[r]
	if !ok {
		return RoleInfo{Role: r}
	}
	base := "role." + string(r)
	info := RoleInfo{Role: r, NameKey: base + ".name", DescKey: base + ".desc", Mix: d.mix, Rhythm: d.rhythm}
	for _, k := range d.kinds {
		info.PostKindKeys = append(info.PostKindKeys, "postkind."+k)
	}
	for i := 1; i <= d.prompts; i++ {
		info.PromptKeys = append(info.PromptKeys, base+".prompt."+strconv.Itoa(i))
	}
	return info
}
