package planner

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a post is in its life cycle:
// idea -> draft -> scheduled -> publishing -> published, or failed / needs-attention.
type Status string

// The statuses.
const (
	StatusIdea           Status = "idea"
	StatusDraft          Status = "draft"
	StatusScheduled      Status = "scheduled"
	StatusPublishing     Status = "publishing"
	StatusPublished      Status = "published"
	StatusFailed         Status = "failed"
	StatusNeedsAttention Status = "needs-attention"
)

// Statuses lists the statuses in life-cycle order.
func Statuses() []Status {
	return []Status{StatusIdea, StatusDraft, StatusScheduled, StatusPublishing, StatusPublished, StatusFailed, StatusNeedsAttention}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return slices.Contains(Statuses(), s)
}

// StatusName is the status's name in the user's language.
func StatusName(s Status, tr Translate) string { return tr("status."+string(s), string(s)) }

// ParseStatus reads a status's name.
func ParseStatus(s string) (Status, error) {
	st := Status(s)
	if !st.Valid() {
		return "", invalid("status", "error.status", "unknown status "+s)
	}
	return st, nil
}

// transitions is the post's life cycle: the statuses each status may
// become. The row of "" is a post not yet saved, which starts as an idea, a
// draft or a scheduled post. Editing states move freely among themselves;
// publishing is entered only from scheduled (the outbox, or the user's
// "Publish now" and "Publish again", schedule a post first), and only the
// outbox leaves it, back to scheduled when a run stopped before any request.
// Published is reached from publishing, or by the user's word: a draft,
// scheduled, failed or needs-attention post they posted by hand or found
// on their profile. A published post stays published.
var transitions = map[Status][]Status{
	"":                   {StatusIdea, StatusDraft, StatusScheduled},
	StatusIdea:           {StatusDraft, StatusScheduled},
	StatusDraft:          {StatusIdea, StatusScheduled, StatusPublished},
	StatusScheduled:      {StatusIdea, StatusDraft, StatusPublishing, StatusPublished, StatusFailed, StatusNeedsAttention},
	StatusPublishing:     {StatusPublished, StatusFailed, StatusNeedsAttention, StatusScheduled},
	StatusPublished:      {},
	StatusFailed:         {StatusDraft, StatusScheduled, StatusPublished},
	StatusNeedsAttention: {StatusDraft, StatusScheduled, StatusPublished, StatusFailed},
}

// CanBecome reports whether a post may move from s to next. A status may
// stay as it is (a published post gains a network posted by hand), except
// publishing, which only a new attempt enters.
func (s Status) CanBecome(next Status) bool {
	if !next.Valid() {
		return false
	}
	if s == next {
		return s != StatusPublishing
	}
	return slices.Contains(transitions[s], next)
}

// CanStartAs reports whether a new post may be saved with status s: as an
// idea, a draft or a scheduled post. The other statuses come from publishing.
func CanStartAs(s Status) bool { return Status("").CanBecome(s) }

// StatusError is a status change the life cycle does not allow; errors.Is
// matches ErrConflict.
type StatusError struct {
	From, To Status
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("a %s post cannot become %s", e.From, e.To)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *StatusError) Is(target error) bool { return target == ErrConflict }

// Explain says which change was refused, in the user's language.
func (e *StatusError) Explain(tr Translate) string {
	if e.From == "" {
		return tr("error.add_status", "a new post is an idea, a draft or scheduled")
	}
	return tr("error.post.status_change", "The post is {{.From}} now, so it cannot become {{.To}}. Nothing was changed.",
		map[string]any{"From": StatusName(e.From, tr), "To": StatusName(e.To, tr)})
}

// Editable reports whether the user may still change the post's text.
func (s Status) Editable() bool {
	switch s {
	case StatusIdea, StatusDraft, StatusScheduled, StatusFailed, StatusNeedsAttention:
		return true
	}
	return false
}

// Target is where a post goes: a linked account, or a network posted to by hand.
type Target struct {
	AccountID string  `json:"account_id,omitempty"`
	Network   Network `json:"network"`
}

// PublishResult records one part of a post going out through an account
// (or failing to), or the post going out by hand on a network.
type PublishResult struct {
	AccountID string  `json:"account_id,omitempty"`
	Network   Network `json:"network"`
	Part      int     `json:"part"` // 0-based index in the thread
	// RemoteID is the network's ID of the part: X's and Mastodon's status
	// ID, Bluesky's at:// URI, LinkedIn's URN.
	RemoteID string `json:"remote_id,omitempty"`
	// CID is Bluesky's content ID of the part, which a reply refers to.
	CID string    `json:"cid,omitempty"`
	URL string    `json:"url,omitempty"`
	At  time.Time `json:"at"`
	// Pending marks a part whose request is being made, or was when Kaiku
	// stopped: it is on record before the request, so that it is looked
	// for on the network before it is ever sent again.
	Pending bool `json:"pending,omitempty"`
	// Key names the part on the network before it exists: Mastodon's
	// Idempotency-Key, Bluesky's record key. Empty where the network has
	// none.
	Key string `json:"key,omitempty"`
	// Attempt is the publishing attempt (Post.Attempt) that sent the part.
	Attempt string `json:"attempt,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Post is something the user writes to publish.
type Post struct {
	ID string `json:"id"`
	// Text is the post; a thread holds its parts in Parts and Text is empty.
	Text  string   `json:"text,omitempty"`
	Parts []string `json:"parts,omitempty"`
	// Variants are per-network versions of Text.
	Variants map[Network]string `json:"variants,omitempty"`
	Purpose  Purpose            `json:"purpose,omitempty"`
	Role     Role               `json:"role,omitempty"`
	GoalID   string             `json:"goal_id,omitempty"`
	Targets  []Target           `json:"targets,omitempty"`
	// Time is when the post goes out; zero for an undated idea or draft.
	Time time.Time `json:"time,omitzero"`
	// OccurrenceID names the slot occurrence the post fills, if any.
	OccurrenceID string    `json:"occurrence_id,omitempty"`
	Status       Status    `json:"status"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
	// Attempt identifies the publishing attempt in flight, so that a crash
	// between the request and its record is noticed and never sent twice.
	Attempt   string          `json:"attempt,omitempty"`
	Results   []PublishResult `json:"results,omitempty"`
	LastError string          `json:"last_error,omitempty"`
	// SourceItem names the reading-list item the post shares, if any.
	SourceItem string `json:"source_item,omitempty"`
	// Language is the text's language, an ISO 639-1 code such as "fi";
	// empty follows the settings' language.
	Language string `json:"language,omitempty"`
	// Images are the pictures the post carries, up to MaxImagesPerPart for
	// the post or for each part of a thread, in the order they are shown.
	Images []Image `json:"images,omitempty"`
}

// MaxPostBytes bounds a post's stored text; networks allow far less.
const MaxPostBytes = 64 << 10

// Earliest and latest times a post may carry.
var (
	MinPostTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxPostTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Texts returns the post's parts in order: the parts of a thread, or the one text.
func (p Post) Texts() []string {
	if len(p.Parts) > 0 {
		return p.Parts
	}
	return []string{p.Text}
}

// FirstLine is the post's first non-empty line, for lists and calendars.
func (p Post) FirstLine() string {
	for _, t := range p.Texts() {
		for _, line := range strings.Split(t, "\n") {
			if l := strings.TrimSpace(line); l != "" {
				return l
			}
		}
	}
	return ""
}

// Validate checks the post.
func (p Post) Validate() error {
	if !validID(p.ID) {
		return invalid("id", "error.id", "missing or malformed post id")
	}
	if p.Text != "" && len(p.Parts) > 0 {
		return invalid("text", "error.post.text_and_parts", "a post has either a text or thread parts")
	}
	// A picture says something on its own: a post, or a part, may be one.
	pictured, err := p.validateImages()
	if err != nil {
		return err
	}
	empty := len(p.Images) == 0
	size := 0
	for i, t := range p.Texts() {
		if !utf8.ValidString(t) {
			return invalid("text", "error.post.utf8", "the text is not valid UTF-8")
		}
		if strings.TrimSpace(t) != "" {
			empty = false
		} else if len(p.Parts) > 0 && !pictured[i] {
			return invalid("parts", "error.post.part_empty", "a thread part is empty")
		}
		size += len(t)
	}
	if empty && p.Status != StatusIdea {
		return invalid("text", "error.post.empty", "the post has no text")
	}
	if size > MaxPostBytes {
		return invalid("text", "error.post.too_long", "the text is too long to store")
	}
	if !p.Status.Valid() {
		return invalid("status", "error.status", "unknown status")
	}
	if p.Purpose != "" && !p.Purpose.Valid() {
		return invalid("purpose", "error.purpose", "unknown purpose")
	}
	if p.Role != "" && !p.Role.Valid() {
		return invalid("role", "error.role", "unknown role")
	}
	if p.GoalID != "" && !validID(p.GoalID) {
		return invalid("goal_id", "error.id", "malformed goal id")
	}
	if p.SourceItem != "" && !validID(p.SourceItem) {
		return invalid("source_item", "error.id", "malformed item id")
	}
	if p.Language != "" && !ValidLanguage(p.Language) {
		return invalid("language", "error.post.language", "the language is a code such as fi or en")
	}
	for _, t := range p.Targets {
		if !t.Network.Valid() {
			return invalid("targets", "error.network", "unknown network "+string(t.Network))
		}
		if t.AccountID != "" && !validID(t.AccountID) {
			return invalid("targets", "error.id", "malformed account id")
		}
	}
	for n := range p.Variants {
		if !n.Valid() {
			return invalid("variants", "error.network", "unknown network "+string(n))
		}
	}
	if !p.Time.IsZero() && (p.Time.Before(MinPostTime) || !p.Time.Before(MaxPostTime)) {
		return invalid("time", "error.post.time_range", "the time is outside the years 2000–2199")
	}
	if p.Time.IsZero() {
		switch p.Status {
		case StatusScheduled, StatusPublishing:
			return invalid("time", "error.post.needs_time", "a scheduled post needs a time")
		}
	}
	return nil
}
