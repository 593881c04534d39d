package planner

import (
	"math"
	"slices"
	"sort"
)

// ChoiceKind says how many options a question takes.
type ChoiceKind string

// The kinds of question.
const (
	SingleChoice ChoiceKind = "single"
	MultiChoice  ChoiceKind = "multi"
)

// Option is one answer to a question and what choosing it means.
type Option struct {
	ID      string `json:"id"`
	TextKey string `json:"text_key"`
	// ReasonKey explains the option's effect in the recommendation ("You enjoy public debate").
	ReasonKey string `json:"reason_key"`
	// Points pushes each role's score up (or down).
	Points map[Role]int `json:"points,omitempty"`
	// MixShift moves the proposed content mix, in percentage points (it does not sum to 100).
	MixShift ContentMix `json:"mix_shift,omitzero"`
	// Minutes proposes the weekly time budget.
	Minutes int `json:"minutes,omitempty"`
	// Scope proposes work-only or a wider scope.
	Scope Scope `json:"scope,omitempty"`
	// Network proposes a network to post on.
	Network Network `json:"network,omitempty"`
	// Exclusive: the option stands alone among a question's answers
	// ("I don't know yet" rules out knowing).
	Exclusive bool `json:"exclusive,omitempty"`
}

// Question is one step of the role selector.
type Question struct {
	ID      string     `json:"id"`
	TextKey string     `json:"text_key"`
	HintKey string     `json:"hint_key"`
	Kind    ChoiceKind `json:"kind"`
	Options []Option   `json:"options"`
}

// Pick is q's answers after the user picked id, among before: an exclusive
// option clears the others, and any other clears an exclusive one.
func (q Question) Pick(before []string, id string) []string {
	o, ok := q.Option(id)
	if !ok {
		return before
	}
	if o.Exclusive {
		return []string{id}
	}
	out := []string{}
	for _, b := range before {
		if x, ok := q.Option(b); b != id && (!ok || !x.Exclusive) {
			out = append(out, b)
		}
	}
	return append(out, id)
}

// Option returns the question's option with the given ID.
func (q Question) Option(id string) (Option, bool) {
	for _, o := range q.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// Question IDs, for code that reads particular answers.
const (
	QuestionProduction   = "production"
	QuestionScope        = "scope"
	QuestionNatural      = "natural"
	QuestionExpectations = "expectations"
	QuestionTime         = "time"
	QuestionGoals        = "goals"
	QuestionAudiences    = "audiences"
	QuestionSpeed        = "speed"
	QuestionDebate       = "debate"
	QuestionConnecting   = "connecting"
	QuestionFreedom      = "freedom"
	QuestionNetworks     = "networks"
)

// DefaultWeeklyMinutes is the budget proposed when the time question is unanswered.
const DefaultWeeklyMinutes = 60

type rolePoints = map[Role]int

// newOption builds an option whose keys follow from the question's and option's IDs.
func newOption(q, id string, p rolePoints) Option {
	base := "question." + q + "." + id
	return Option{ID: id, TextKey: base, ReasonKey: base + ".reason", Points: p}
}

func newQuestion(id string, kind ChoiceKind, opts ...Option) Question {
	base := "question." + id
	return Question{ID: id, TextKey: base + ".text", HintKey: base + ".hint", Kind: kind, Options: opts}
}

// Questions is the role selector's questionnaire, in the order it is asked.
// Each call returns a fresh copy.
func Questions() []Question {
	withMix := func(o Option, m ContentMix) Option { o.MixShift = m; return o }
	withMinutes := func(o Option, min int) Option { o.Minutes = min; return o }
	alone := func(o Option) Option { o.Exclusive = true; return o }
	withScope := func(o Option, s Scope) Option { o.Scope = s; return o }
	withNetwork := func(o Option, n Network) Option { o.Network = n; return o }

	q := QuestionProduction
	production := newQuestion(q, SingleChoice,
		withMix(newOption(q, "own", rolePoints{RoleInforming: 2, RoleAdvising: 2, RoleCurrentAffairs: 1}), ContentMix{Own: 15, Shared: -10, Conversation: -5}),
		withMix(newOption(q, "share", rolePoints{RoleInterests: 2, RoleNetworking: 1, RoleCollaboration: 1}), ContentMix{Own: -15, Shared: 15}),
		newOption(q, "both", rolePoints{RoleCollaboration: 1, RoleNetworking: 1}),
	)
	q = QuestionScope
	scope := newQuestion(q, SingleChoice,
		withScope(newOption(q, "work", rolePoints{RoleInforming: 1, RoleAdvising: 1, RoleCollaboration: 1}), ScopeWork),
		withScope(newOption(q, "mostly-work", rolePoints{RoleCurrentAffairs: 1, RoleNetworking: 1}), ScopeWider),
		withScope(newOption(q, "wider", rolePoints{RoleInterests: 3, RoleNetworking: 1}), ScopeWider),
	)
	q = QuestionNatural
	natural := newQuestion(q, MultiChoice,
		newOption(q, "announce", rolePoints{RoleInforming: 3}),
		newOption(q, "explain", rolePoints{RoleAdvising: 3}),
		withMix(newOption(q, "debate", rolePoints{RoleCurrentAffairs: 3}), ContentMix{Conversation: 5}),
		newOption(q, "cooperate", rolePoints{RoleCollaboration: 3}),
		withMix(newOption(q, "connect", rolePoints{RoleNetworking: 3}), ContentMix{Conversation: 5}),
		withMix(newOption(q, "enthuse", rolePoints{RoleInterests: 3}), ContentMix{Shared: 5}),
	)
	q = QuestionExpectations
	expectations := newQuestion(q, MultiChoice,
		newOption(q, "field-news", rolePoints{RoleInforming: 2}),
		newOption(q, "advice", rolePoints{RoleAdvising: 2}),
		newOption(q, "views", rolePoints{RoleCurrentAffairs: 2}),
		newOption(q, "projects", rolePoints{RoleCollaboration: 2}),
		newOption(q, "people-events", rolePoints{RoleNetworking: 2}),
		newOption(q, "passions", rolePoints{RoleInterests: 2}),
		alone(newOption(q, "unknown", rolePoints{RoleNetworking: 1})),
	)
	q = QuestionTime
	timeQ := newQuestion(q, SingleChoice,
		withMinutes(newOption(q, "30", rolePoints{RoleInterests: 1, RoleInforming: 1}), 30),
		withMinutes(newOption(q, "60", nil), 60),
		withMinutes(newOption(q, "120", rolePoints{RoleAdvising: 1, RoleCollaboration: 1}), 120),
		withMinutes(newOption(q, "240", rolePoints{RoleCurrentAffairs: 1, RoleNetworking: 1}), 240),
	)
	q = QuestionGoals
	goals := newQuestion(q, MultiChoice,
		newOption(q, "reputation", rolePoints{RoleInforming: 2, RoleCurrentAffairs: 1}),
		newOption(q, "thought-leadership", rolePoints{RoleCurrentAffairs: 2, RoleInterests: 1}),
		newOption(q, "customers", rolePoints{RoleAdvising: 2, RoleInforming: 1}),
		newOption(q, "partnerships", rolePoints{RoleCollaboration: 3, RoleNetworking: 1}),
		newOption(q, "recruiting", rolePoints{RoleNetworking: 1, RoleInterests: 1, RoleInforming: 1}),
		newOption(q, "influence", rolePoints{RoleCurrentAffairs: 2, RoleNetworking: 1}),
	)
	q = QuestionAudiences
	audiences := newQuestion(q, MultiChoice,
		newOption(q, string(AudienceDecisionMakers), rolePoints{RoleCurrentAffairs: 2, RoleNetworking: 1}),
		newOption(q, string(AudienceMedia), rolePoints{RoleInforming: 2, RoleCurrentAffairs: 1}),
		newOption(q, string(AudienceCustomers), rolePoints{RoleAdvising: 2, RoleInforming: 1}),
		newOption(q, string(AudiencePeers), rolePoints{RoleCollaboration: 1, RoleInterests: 1, RoleNetworking: 1}),
		newOption(q, string(AudienceFutureColleagues), rolePoints{RoleInterests: 1, RoleNetworking: 1, RoleInforming: 1}),
	)
	q = QuestionSpeed
	speed := newQuestion(q, SingleChoice,
		withMix(newOption(q, "eager", rolePoints{RoleCurrentAffairs: 3}), ContentMix{Conversation: 10, Own: -5, Shared: -5}),
		newOption(q, "prepared", rolePoints{RoleInforming: 1, RoleAdvising: 1}),
		newOption(q, "planned", rolePoints{RoleInterests: 1, RoleInforming: 1, RoleCollaboration: 1, RoleCurrentAffairs: -2}),
	)
	q = QuestionDebate
	debate := newQuestion(q, SingleChoice,
		withMix(newOption(q, "enjoy", rolePoints{RoleCurrentAffairs: 3, RoleNetworking: 1}), ContentMix{Conversation: 5, Shared: -5}),
		newOption(q, "calm", rolePoints{RoleAdvising: 1, RoleNetworking: 1}),
		withMix(newOption(q, "avoid", rolePoints{RoleCurrentAffairs: -3, RoleInforming: 1, RoleInterests: 1, RoleCollaboration: 1}), ContentMix{Conversation: -10, Own: 5, Shared: 5}),
	)
	q = QuestionConnecting
	connecting := newQuestion(q, SingleChoice,
		withMix(newOption(q, "love", rolePoints{RoleNetworking: 3, RoleCollaboration: 1}), ContentMix{Conversation: 5, Own: -5}),
		newOption(q, "sometimes", rolePoints{RoleCollaboration: 1, RoleAdvising: 1}),
		newOption(q, "rarely", rolePoints{RoleInforming: 1, RoleInterests: 1, RoleNetworking: -2}),
	)
	q = QuestionFreedom
	freedom := newQuestion(q, SingleChoice,
		withScope(newOption(q, "wide", rolePoints{RoleCurrentAffairs: 1, RoleInterests: 1}), ScopeWider),
		withScope(newOption(q, "agreed", rolePoints{RoleInforming: 1, RoleAdvising: 1}), ScopeWork),
		withScope(newOption(q, "unsure", rolePoints{RoleInforming: 1}), ScopeWork),
	)
	q = QuestionNetworks
	networks := newQuestion(q, MultiChoice,
		withNetwork(newOption(q, string(NetworkX), rolePoints{RoleCurrentAffairs: 1}), NetworkX),
		withNetwork(newOption(q, string(NetworkLinkedIn), rolePoints{RoleNetworking: 1, RoleCollaboration: 1}), NetworkLinkedIn),
		withNetwork(newOption(q, string(NetworkMastodon), rolePoints{RoleInterests: 1}), NetworkMastodon),
		withNetwork(newOption(q, string(NetworkBluesky), nil), NetworkBluesky),
	)
	return []Question{production, scope, natural, expectations, timeQ, goals, audiences, speed, debate, connecting, freedom, networks}
}

// Answers maps a question ID to the chosen option IDs. It is what
// `kaiku role apply --answers FILE.json` reads.
type Answers map[string][]string

// Validate reports the first unknown question or option, and a single-choice
// question answered more than once. RecommendRoles itself tolerates all of these.
func (a Answers) Validate() error {
	qs := Questions()
	byID := make(map[string]Question, len(qs))
	for _, q := range qs {
		byID[q.ID] = q
	}
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		q, ok := byID[id]
		if !ok {
			return invalid("answers", "error.answers.question", "unknown question "+id)
		}
		for _, o := range a[id] {
			if _, ok := q.Option(o); !ok {
				return invalid("answers", "error.answers.option", "unknown option "+o+" for question "+id)
			}
		}
		if q.Kind == SingleChoice && len(dedupe(a[id])) > 1 {
			return invalid("answers", "error.answers.single", "question "+id+" takes one answer")
		}
	}
	return nil
}

// Reason says that one answer pushed a role's score; negative Points speak against the role.
type Reason struct {
	QuestionID string         `json:"question_id"`
	OptionID   string         `json:"option_id"`
	Points     int            `json:"points"`
	Key        string         `json:"key"`
	Data       map[string]any `json:"data,omitempty"`
}

// RoleScore is a role's place in the recommendation.
type RoleScore struct {
	Role    Role     `json:"role"`
	Score   int      `json:"score"`
	Reasons []Reason `json:"reasons,omitempty"`
}

// Note is a message for the user: a translation key and its template data.
type Note struct {
	Key  string         `json:"key"`
	Data map[string]any `json:"data,omitempty"`
}

// Recommendation is the role selector's result.
type Recommendation struct {
	// Ranking holds all six roles, best first; ties keep the order of Roles.
	Ranking []RoleScore `json:"ranking"`
	// Profile is the proposal the user adjusts: its Primary and Secondary are
	// the first two of Ranking.
	Profile RoleProfile `json:"profile"`
	// Notes point out defaults used and answers that pull different ways.
	Notes []Note `json:"notes,omitempty"`
}

// Recommendation notes.
const (
	NoteNoAnswers         = "recommend.note.no_answers"
	NoteUnknownAnswers    = "recommend.note.unknown_answers"
	NoteExtraChoices      = "recommend.note.extra_choices"
	NoteDefaultTime       = "recommend.note.default_time"
	NoteDefaultNetworks   = "recommend.note.default_networks"
	NoteFastWithoutDebate = "recommend.note.fast_without_debate"
	NoteOwnNeedsTime      = "recommend.note.own_needs_time"
	NoteCheckFreedom      = "recommend.note.check_freedom"
)

// defaultNetworks are proposed when none is chosen: where experts, media and
// decision-makers meet, and the professional network.
func defaultNetworks() []Network { return []Network{NetworkX, NetworkLinkedIn} }

func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// RecommendRoles ranks the six roles by the answers and proposes a profile.
// It never fails: unknown questions and options are ignored (and noted), a
// single-choice question answered several times takes the first known option,
// and unanswered questions fall back to defaults.
func RecommendRoles(a Answers) Recommendation {
	var rec Recommendation
	scores := make(map[Role]*RoleScore, 6)
	for _, r := range Roles() {
		scores[r] = &RoleScore{Role: r}
	}
	var (
		shift      ContentMix
		minutes    int
		scope      Scope
		networks   []Network
		unknown    int
		extra      bool
		answeredQs int
		chosen     = map[string]string{} // single-choice question -> option
	)
	known := map[string]bool{}
	for _, q := range Questions() {
		known[q.ID] = true
		var picked []Option
		for _, id := range dedupe(a[q.ID]) {
			o, ok := q.Option(id)
			if !ok {
				unknown++
				continue
			}
			if q.Kind == SingleChoice && len(picked) == 1 {
				extra = true
				continue
			}
			picked = append(picked, o)
		}
		if len(picked) == 0 {
			continue
		}
		answeredQs++
		if q.Kind == SingleChoice {
			chosen[q.ID] = picked[0].ID
		}
		// Reasons follow the question's option order, so the answer file's order does not matter.
		for _, o := range q.Options {
			if !slices.ContainsFunc(picked, func(p Option) bool { return p.ID == o.ID }) {
				continue
			}
			for _, r := range Roles() {
				if n := o.Points[r]; n != 0 {
					s := scores[r]
					s.Score += n
					s.Reasons = append(s.Reasons, Reason{QuestionID: q.ID, OptionID: o.ID, Points: n, Key: o.ReasonKey, Data: map[string]any{"Points": n}})
				}
			}
			shift.Own += o.MixShift.Own
			shift.Shared += o.MixShift.Shared
			shift.Conversation += o.MixShift.Conversation
			if o.Minutes > 0 && minutes == 0 {
				minutes = o.Minutes
			}
			// The first question that speaks of scope wins: the scope question comes before freedom.
			if o.Scope != "" && scope == "" {
				scope = o.Scope
			}
			if o.Network != "" {
				networks = append(networks, o.Network)
			}
		}
	}
	for id := range a {
		if !known[id] {
			unknown++
		}
	}

	for _, r := range Roles() {
		rec.Ranking = append(rec.Ranking, *scores[r])
	}
	sort.SliceStable(rec.Ranking, func(i, j int) bool { return rec.Ranking[i].Score > rec.Ranking[j].Score })

	primary, secondary := rec.Ranking[0].Role, rec.Ranking[1].Role
	p := RoleProfile{Primary: primary, Secondary: secondary}
	pm, sm := InfoFor(primary).Mix, InfoFor(secondary).Mix
	p.Mix = roundMix(
		float64(2*pm.Own+sm.Own)/3+float64(shift.Own),
		float64(2*pm.Shared+sm.Shared)/3+float64(shift.Shared),
		float64(2*pm.Conversation+sm.Conversation)/3+float64(shift.Conversation),
	)
	switch {
	case scope != "":
		p.Scope = scope
	case primary == RoleInterests:
		p.Scope = ScopeWider
	default:
		p.Scope = ScopeWork
	}
	if minutes == 0 {
		minutes = DefaultWeeklyMinutes
		if answeredQs > 0 {
			rec.Notes = append(rec.Notes, Note{Key: NoteDefaultTime, Data: map[string]any{"Minutes": minutes}})
		}
	}
	p.WeeklyMinutes = minutes
	if len(networks) == 0 {
		networks = defaultNetworks()
		if answeredQs > 0 {
			rec.Notes = append(rec.Notes, Note{Key: NoteDefaultNetworks})
		}
	}
	for _, n := range Networks() { // canonical order, whatever the answer order
		if slices.Contains(networks, n) {
			p.Networks = append(p.Networks, n)
		}
	}
	rec.Profile = p

	if answeredQs == 0 {
		rec.Notes = append([]Note{{Key: NoteNoAnswers}}, rec.Notes...)
	}
	if unknown > 0 {
		rec.Notes = append(rec.Notes, Note{Key: NoteUnknownAnswers, Data: map[string]any{"Count": unknown}})
	}
	if extra {
		rec.Notes = append(rec.Notes, Note{Key: NoteExtraChoices})
	}
	if chosen[QuestionSpeed] == "eager" && chosen[QuestionDebate] == "avoid" {
		rec.Notes = append(rec.Notes, Note{Key: NoteFastWithoutDebate})
	}
	if chosen[QuestionProduction] == "own" && chosen[QuestionTime] == "30" {
		rec.Notes = append(rec.Notes, Note{Key: NoteOwnNeedsTime})
	}
	if chosen[QuestionFreedom] == "unsure" {
		rec.Notes = append(rec.Notes, Note{Key: NoteCheckFreedom})
	}
	return rec
}

// roundMix turns raw shares into a ContentMix of multiples of 5 that sums to
// 100, by the largest remainder; negative shares count as zero.
func roundMix(own, shared, conv float64) ContentMix {
	v := []float64{math.Max(own, 0), math.Max(shared, 0), math.Max(conv, 0)}
	sum := v[0] + v[1] + v[2]
	if sum <= 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		v, sum = []float64{1, 1, 1}, 3
	}
	const steps = 20 // 100 % in steps of 5
	units := make([]int, 3)
	rem := make([]float64, 3)
	left := steps
	for i := range v {
		exact := v[i] / sum * steps
		units[i] = int(math.Floor(exact))
		rem[i] = exact - float64(units[i])
		left -= units[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := 1; i < 3; i++ {
			if rem[i] > rem[best] {
				best = i
			}
		}
		units[best]++
		rem[best] = -1
	}
	return ContentMix{Own: units[0] * 5, Shared: units[1] * 5, Conversation: units[2] * 5}
}

// questionKeys lists the translation keys of the questionnaire.
func questionKeys() []string {
	var keys []string
	for _, q := range Questions() {
		keys = append(keys, q.TextKey, q.HintKey)
		for _, o := range q.Options {
			keys = append(keys, o.TextKey, o.ReasonKey)
		}
	}
	return keys
}
