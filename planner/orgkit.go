package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The organization kit's format name and the newest version this build reads and writes.
const (
	OrgKitFormat  = "kaiku-org-kit"
	OrgKitVersion = 1
)

// Limits of a kit: far above what an organization hands out, far below
// what would slow Kaiku down.
const (
	MaxOrgKitBytes   = 1 << 20
	maxKitName       = 200
	maxKitGoals      = 200
	maxKitHashtags   = 100
	maxKitHashtag    = 100 // bytes, with the #
	maxKitFeeds      = 1000
	maxKitFeedText   = 300
	maxKitDisclosure = 500
	maxKitAvoidWords = 500
	maxKitAvoidWord  = 100
)

// OrgKit is what an organization's communications team hands its experts
// in one JSON file: the organization's name, goals, guidelines, recommended
// hashtags, feeds for the reading list and the networks it recommends.
// Nothing personal goes in it: no posts, accounts, profile or settings of
// one person.
//
//	{"format":"kaiku-org-kit","version":1,"organization":"Energiavirasto",
//	 "made":"2026-12-01T09:00:00Z",
//	 "goals":[{"id":"…","title":"…","description":"…","audiences":["media"]}],
//	 "guidelines":{"disclosure":"#energiavirasto","avoid_words":["halpa*"]},
//	 "hashtags":["#energia"],
//	 "feeds":[{"url":"https://…","title":"…","folder":"…"}],
//	 "networks":["linkedin","bluesky"]}
type OrgKit struct {
	Format       string `json:"format"`
	Version      int    `json:"version"`
	Organization string `json:"organization"`
	// Made is when the kit was exported.
	Made time.Time `json:"made,omitzero"`
	// Goals keep their IDs from kit to kit: an expert's Kaiku adds each once.
	Goals      []KitGoal  `json:"goals"`
	Guidelines Guidelines `json:"guidelines"`
	// Hashtags are recommended ones, each with its "#"; the composer suggests them.
	Hashtags []string  `json:"hashtags"`
	Feeds    []KitFeed `json:"feeds"`
	Networks []Network `json:"networks"`
}

// KitGoal is one of the organization's goals as a kit carries it.
type KitGoal struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Audiences   []Audience `json:"audiences,omitempty"`
}

// KitFeed is a feed the organization recommends for the reading list.
type KitFeed struct {
	URL    string `json:"url"`
	Title  string `json:"title,omitempty"`
	Folder string `json:"folder,omitempty"`
}

// Sentinels for a kit that cannot be imported, for errors.Is. A kit whose
// item breaks a rule wraps ErrInvalid (an *InvalidError) instead.
var (
	// ErrNotOrgKit: the file is not an organization kit, or is damaged.
	ErrNotOrgKit = errors.New("not a Kaiku organization kit")
	// ErrNewerOrgKit: the kit was made by a newer Kaiku.
	ErrNewerOrgKit = errors.New("organization kit from a newer Kaiku")
)

// OrgKitError says why a kit was refused and, when one item is to blame,
// which ("goal 2 (id \"g7\")"). Nothing was changed.
type OrgKitError struct {
	Item string
	// Version is the kit's version, for ErrNewerOrgKit.
	Version int
	Err     error
}

func (e *OrgKitError) Error() string {
	if e.Item == "" {
		return "organization kit: " + e.Err.Error()
	}
	return "organization kit: " + e.Item + ": " + e.Err.Error()
}

func (e *OrgKitError) Unwrap() error { return e.Err }

// ParseOrgKit reads and checks a kit. It refuses, with an *OrgKitError, a
// file that is not a kit (ErrNotOrgKit), one from a newer Kaiku
// (ErrNewerOrgKit) and one with an item that breaks a rule (ErrInvalid).
// Fields it does not know are passed over: a kit of the same version may
// carry more for a later Kaiku. Hashtags are normalized to start with "#".
func ParseOrgKit(data []byte) (OrgKit, error) {
	notKit := func(format string, args ...any) (OrgKit, error) {
		return OrgKit{}, &OrgKitError{Err: fmt.Errorf("%w: "+format, append([]any{ErrNotOrgKit}, args...)...)}
	}
	if len(data) > MaxOrgKitBytes {
		return notKit("the file is larger than %d kB", MaxOrgKitBytes>>10)
	}
	if !utf8.Valid(data) {
		return notKit("the file is not UTF-8 text")
	}
	// The head first: a newer kit is refused as newer even if its body would not parse.
	var head struct {
		Format  string          `json:"format"`
		Version json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return notKit("%s", jsonTrouble(err))
	}
	if head.Format != OrgKitFormat {
		return notKit("its format is %q, not %q", head.Format, OrgKitFormat)
	}
	version, err := strconv.Atoi(string(head.Version))
	if err != nil || version < 1 {
		return notKit("it has no valid version")
	}
	if version > OrgKitVersion {
		return OrgKit{}, &OrgKitError{Version: version, Err: fmt.Errorf("%w (kit version %d, this Kaiku reads up to %d)", ErrNewerOrgKit, version, OrgKitVersion)}
	}
	var kit OrgKit
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&kit); err != nil {
		return notKit("%s", jsonTrouble(err))
	}
	if dec.More() {
		return notKit("there is more after the kit's closing brace")
	}
	kit = kit.canonical()
	if err := kit.Validate(); err != nil {
		return OrgKit{}, err
	}
	return kit, nil
}

// canonical is the kit with hashtags normalized, empty lists rather than
// none, and the time in UTC, so that two readings of one kit compare equal.
func (k OrgKit) canonical() OrgKit {
	k.Hashtags = normalizeHashtags(k.Hashtags)
	if k.Goals == nil {
		k.Goals = []KitGoal{}
	}
	if k.Hashtags == nil {
		k.Hashtags = []string{}
	}
	if k.Feeds == nil {
		k.Feeds = []KitFeed{}
	}
	if k.Networks == nil {
		k.Networks = []Network{}
	}
	if !k.Made.IsZero() {
		k.Made = k.Made.UTC()
	}
	return k
}

// sameKit reports whether two kits say the same.
func sameKit(a, b OrgKit) bool {
	ja, errA := json.Marshal(a.canonical())
	jb, errB := json.Marshal(b.canonical())
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// jsonTrouble says what is wrong with JSON in the file's terms.
func jsonTrouble(err error) string {
	var syntax *json.SyntaxError
	var kind *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("it is not valid JSON at byte %d", syntax.Offset)
	case errors.As(err, &kind) && kind.Field != "":
		return fmt.Sprintf("%q is a JSON %s, which does not belong there", kind.Field, kind.Value)
	case errors.As(err, &kind):
		return fmt.Sprintf("it is a JSON %s, not an object", kind.Value)
	}
	return err.Error()
}

// normalizeHashtags puts "#" in front where it is missing and drops empty
// ones and repeats (case-insensitively), keeping the order.
func normalizeHashtags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || t == "#" {
			continue
		}
		if !strings.HasPrefix(t, "#") {
			t = "#" + t
		}
		if k := strings.ToLower(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// validHashtag: "#" and letters, digits, marks or underscores.
func validHashtag(t string) bool {
	rest, ok := strings.CutPrefix(t, "#")
	if !ok || rest == "" || len(t) > maxKitHashtag {
		return false
	}
	for _, r := range rest {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '_' {
			return false
		}
	}
	return true
}

// Validate checks the kit; an item at fault is named in an *OrgKitError.
func (k OrgKit) Validate() error {
	bad := func(item string, err error) error { return &OrgKitError{Item: item, Err: err} }
	if k.Format != OrgKitFormat {
		return bad("", fmt.Errorf("%w: its format is %q, not %q", ErrNotOrgKit, k.Format, OrgKitFormat))
	}
	if k.Version < 1 || k.Version > OrgKitVersion {
		return bad("", fmt.Errorf("%w: version %d", ErrNotOrgKit, k.Version))
	}
	name := strings.TrimSpace(k.Organization)
	if name == "" {
		return bad("organization", invalid("organization", "error.kit.organization", "the kit does not name the organization"))
	}
	if len(k.Organization) > maxKitName || strings.ContainsAny(k.Organization, "\x00\r\n") {
		return bad("organization", invalid("organization", "error.kit.organization", "the organization's name is too long or broken"))
	}
	if len(k.Goals) > maxKitGoals {
		return bad("goals", invalid("goals", "error.kit.too_many", "the kit has too many goals"))
	}
	seen := map[string]bool{}
	for i, g := range k.Goals {
		item := "goal " + strconv.Itoa(i+1) + " (id " + strconv.Quote(g.ID) + ")"
		if err := g.goal(time.Time{}).Validate(); err != nil {
			return bad(item, err)
		}
		if seen[g.ID] {
			return bad(item, invalid("id", "error.kit.duplicate", "two goals share this id"))
		}
		seen[g.ID] = true
	}
	if len(k.Guidelines.Disclosure) > maxKitDisclosure || len(k.Guidelines.AvoidWords) > maxKitAvoidWords {
		return bad("guidelines", invalid("guidelines", "error.kit.too_many", "the guidelines are too long"))
	}
	for _, w := range k.Guidelines.AvoidWords {
		if len(w) > maxKitAvoidWord {
			return bad("guidelines", invalid("avoid_words", "error.kit.too_many", "a word to avoid is too long"))
		}
	}
	if len(k.Hashtags) > maxKitHashtags {
		return bad("hashtags", invalid("hashtags", "error.kit.too_many", "the kit has too many hashtags"))
	}
	for i, t := range k.Hashtags {
		if !validHashtag(t) {
			return bad("hashtag "+strconv.Itoa(i+1)+" ("+strconv.Quote(t)+")", invalid("hashtags", "error.kit.hashtag", "a hashtag is # and letters, digits or _"))
		}
	}
	if len(k.Feeds) > maxKitFeeds {
		return bad("feeds", invalid("feeds", "error.kit.too_many", "the kit has too many feeds"))
	}
	for i, f := range k.Feeds {
		item := "feed " + strconv.Itoa(i+1)
		if !WebAddress(f.URL) || len(f.URL) > MaxCalendarAddress {
			return bad(item, invalid("url", "error.kit.feed", "a feed's address starts with https:// or http://"))
		}
		if len(f.Title) > maxKitFeedText || len(f.Folder) > maxKitFeedText {
			return bad(item, invalid("title", "error.kit.too_many", "a feed's title or folder is too long"))
		}
	}
	for i, n := range k.Networks {
		if !n.Valid() {
			return bad("network "+strconv.Itoa(i+1), invalid("networks", "error.network", "unknown network "+string(n)))
		}
		if slices.Contains(k.Networks[:i], n) {
			return bad("network "+strconv.Itoa(i+1), invalid("networks", "error.kit.duplicate", "the network is named twice"))
		}
	}
	return nil
}

func (g KitGoal) goal(now time.Time) Goal {
	return Goal{ID: g.ID, Title: g.Title, Description: g.Description, Audiences: slices.Clone(g.Audiences), Created: now, Updated: now}
}

// OrgKitContent is what an export puts in a kit besides the goals and the
// guidelines, which come from the user's data.
type OrgKitContent struct {
	Organization string
	Hashtags     []string
	Feeds        []KitFeed
	Networks     []Network
}

// MakeOrgKit makes a kit of goals and guidelines and the content; goals keep
// their IDs, so experts who import a later kit get only the new ones.
func MakeOrgKit(c OrgKitContent, goals []Goal, g Guidelines, now time.Time) (OrgKit, error) {
	kit := OrgKit{
		Format: OrgKitFormat, Version: OrgKitVersion, Organization: strings.TrimSpace(c.Organization), Made: now,
		Guidelines: g, Hashtags: c.Hashtags, Feeds: slices.Clone(c.Feeds), Networks: slices.Clone(c.Networks),
	}
	for _, goal := range goals {
		kit.Goals = append(kit.Goals, KitGoal{ID: goal.ID, Title: goal.Title, Description: goal.Description, Audiences: slices.Clone(goal.Audiences)})
	}
	kit = kit.canonical()
	return kit, kit.Validate()
}

// OrgKitRecord is the kit as Kaiku keeps it after an import: what it
// contained, where from and when, for Settings → Organization, the
// composer's hashtag suggestions and the reading list's feeds.
type OrgKitRecord struct {
	Kit OrgKit `json:"kit"`
	// Source is the file or address the kit came from.
	Source   string    `json:"source"`
	Received time.Time `json:"received"`
	// AppliedGoals lists every kit goal ID ever added here, so a goal the
	// user deleted is not added back by the next kit.
	AppliedGoals []string `json:"applied_goals"`
}

// Validate checks the record.
func (r OrgKitRecord) Validate() error {
	if err := r.Kit.Validate(); err != nil {
		return err
	}
	if r.Received.IsZero() {
		return invalid("received", "error.kit.organization", "the kit's arrival time is missing")
	}
	return nil
}

// OrgKitChanges is what importing a kit changes: the goals to add, the
// settings with the kit's guidelines, and the new record. Unchanged is set
// when the kit was imported before and nothing would change; then nothing
// is written, not even the record.
type OrgKitChanges struct {
	Goals     []Goal
	Settings  Settings
	Record    OrgKitRecord
	Unchanged bool
	// KeptGoals counts the kit's goals that were not added: already here,
	// or added before and deleted since.
	KeptGoals int
}

// PlanOrgKit works out what importing kit does, given the stored record
// (prev, nil when none), the settings, and whether a goal ID is stored:
// each kit goal is added once, by its ID, never over a goal that exists and
// never again after it was added once; the guidelines replace the settings'
// own; the user's own goals stay as they are.
func PlanOrgKit(kit OrgKit, prev *OrgKitRecord, settings Settings, hasGoal func(id string) bool, source string, now time.Time) OrgKitChanges {
	ch := OrgKitChanges{Settings: settings}
	ch.Settings.Guidelines = Guidelines{Disclosure: kit.Guidelines.Disclosure, AvoidWords: slices.Clone(kit.Guidelines.AvoidWords)}
	var applied []string
	if prev != nil {
		applied = slices.Clone(prev.AppliedGoals)
	}
	for _, g := range kit.Goals {
		if slices.Contains(applied, g.ID) || hasGoal(g.ID) {
			ch.KeptGoals++
			if !slices.Contains(applied, g.ID) {
				applied = append(applied, g.ID)
			}
			continue
		}
		ch.Goals = append(ch.Goals, g.goal(now))
		applied = append(applied, g.ID)
	}
	slices.Sort(applied)
	ch.Record = OrgKitRecord{Kit: kit, Source: source, Received: now, AppliedGoals: applied}
	if prev != nil && len(ch.Goals) == 0 && sameKit(prev.Kit, kit) &&
		slices.Equal(prev.AppliedGoals, applied) && guidelinesEqual(settings.Guidelines, ch.Settings.Guidelines) {
		ch.Unchanged = true
		ch.Record = *prev
	}
	return ch
}

func guidelinesEqual(a, b Guidelines) bool {
	return a.Disclosure == b.Disclosure && slices.Equal(a.AvoidWords, b.AvoidWords)
}

// OrgKitStore keeps the organization kit.
type OrgKitStore interface {
	// OrgKit returns the stored kit record; ErrNotFound before the first import.
	OrgKit(ctx context.Context) (OrgKitRecord, error)
	// ApplyOrgKit imports a checked kit as PlanOrgKit decides, in one
	// transaction: the goals, the settings and the record change together,
	// or nothing does.
	ApplyOrgKit(ctx context.Context, kit OrgKit, source string, now time.Time) (OrgKitChanges, error)
}

// KitFeedAdder puts a kit's feeds on the reading list and says how many
// were new (a feed already there is not added twice). It is the hook
// between the kit and the reading list: ImportOrgKit calls it when the
// store has one. Until then a kit's feeds wait in the stored record
// (OrgKitRecord.Kit.Feeds).
type KitFeedAdder interface {
	AddKitFeeds(ctx context.Context, feeds []KitFeed) (added int, err error)
}

// KitFeedLister gives the reading list's feeds for an exported kit; when
// the store has none, an export takes the feeds of the stored kit.
type KitFeedLister interface {
	KitFeeds(ctx context.Context) ([]KitFeed, error)
}

// OrgKitImport says what ImportOrgKit did.
type OrgKitImport struct {
	OrgKitChanges
	// FeedsAdded counts the feeds put on the reading list; -1 when there is
	// no reading list yet and the feeds wait in the kit.
	FeedsAdded int
}

// ImportOrgKit applies a checked kit to the store, then hands its feeds to
// the reading list when the store has one (KitFeedAdder).
func ImportOrgKit(ctx context.Context, s OrgKitStore, kit OrgKit, source string, now time.Time) (OrgKitImport, error) {
	ch, err := s.ApplyOrgKit(ctx, kit, source, now)
	if err != nil {
		return OrgKitImport{}, err
	}
	out := OrgKitImport{OrgKitChanges: ch, FeedsAdded: -1}
	if fa, ok := s.(KitFeedAdder); ok && len(kit.Feeds) > 0 {
		if out.FeedsAdded, err = fa.AddKitFeeds(ctx, kit.Feeds); err != nil {
			return out, fmt.Errorf("add the kit's feeds to the reading list: %w", err)
		}
	}
	return out, nil
}

// ExportOrgKit makes a kit of the store's goals and guidelines. Content
// left empty is taken from the stored kit, if any, so that whoever made the
// last kit can export the next with only the goals changed; the feeds come
// from the reading list when the store has one (KitFeedLister).
func ExportOrgKit(ctx context.Context, s Store, c OrgKitContent, now time.Time) (OrgKit, error) {
	goals, err := s.Goals(ctx)
	if err != nil {
		return OrgKit{}, err
	}
	settings, err := s.Settings(ctx)
	if err != nil {
		return OrgKit{}, err
	}
	prev, err := s.OrgKit(ctx)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return OrgKit{}, err
	}
	if c.Organization == "" {
		c.Organization = prev.Kit.Organization
	}
	if len(c.Hashtags) == 0 {
		c.Hashtags = prev.Kit.Hashtags
	}
	if len(c.Networks) == 0 {
		c.Networks = prev.Kit.Networks
	}
	if len(c.Feeds) == 0 {
		c.Feeds = prev.Kit.Feeds
		if fl, ok := s.(KitFeedLister); ok {
			if c.Feeds, err = fl.KitFeeds(ctx); err != nil {
				return OrgKit{}, fmt.Errorf("list the reading list's feeds: %w", err)
			}
		}
	}
	return MakeOrgKit(c, goals, settings.Guidelines, now)
}

// ExplainOrgKit says in the user's words why the kit from source (a file
// or an address; empty says "the kit") was refused, and that nothing was
// changed. It reports false for an error that is not a kit's.
func ExplainOrgKit(err error, source string, tr Translate) (string, bool) {
	var ke *OrgKitError
	if !errors.As(err, &ke) {
		return "", false
	}
	if source == "" {
		source = tr("cli.kit", "the kit")
	}
	var ie *InvalidError
	switch {
	case errors.Is(err, ErrNewerOrgKit):
		return tr("error.kit_newer", "{{.File}} was made by a newer Kaiku (kit version {{.Version}}); update Kaiku to import it. Nothing was changed.",
			map[string]any{"File": source, "Version": ke.Version}), true
	case errors.As(err, &ie):
		return tr("error.kit_item", "{{.File}}: {{.Item}}: {{.Problem}}. Nothing was changed.",
			map[string]any{"File": source, "Item": kitItem(ke.Item, tr), "Problem": strings.TrimSuffix(tr(ie.Key, ie.Msg), ".")}), true
	}
	detail := strings.TrimPrefix(strings.TrimPrefix(ke.Err.Error(), ErrNotOrgKit.Error()), ": ")
	return tr("error.kit_not_kit", "{{.File}} is not a Kaiku organization kit ({{.Detail}}). Nothing was changed.",
		map[string]any{"File": source, "Detail": detail}), true
}

// kitItem translates the kind of item a kit error names ("goal 2 (id …)").
func kitItem(item string, tr Translate) string {
	kind, rest, _ := strings.Cut(item, " ")
	name := tr("kit.item."+kind, kind)
	if rest == "" {
		return name
	}
	return name + " " + rest
}
