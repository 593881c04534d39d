package outbox

import (
	"context"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/accounts/remote"
	"github.com/kaiku-app/kaiku/planner"
)

// Options make an Outbox; zero values take the defaults.
type Options struct {
	// Store keeps the posts, accounts and settings; Publishers gives each
	// account's publisher. Both are required.
	Store      planner.Store
	Publishers Publishers
	// Images gives the bytes of the images posts carry; nil reads them
	// from Store.
	Images ImageSource
	// Log receives the outbox's log; nil uses logrus's standard logger.
	Log logrus.FieldLogger
	// Now is the clock; nil uses time.Now. Sleep waits between retries and
	// for rate limits, returning early with ctx's error; nil waits for real.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Language is what a post goes out in when neither it nor the settings
	// say: the system's language, as "fi".
	Language string
	// Grace is how late a post may be and still count as on time. A post
	// that fell due more than Grace before the outbox woke (started, or came
	// back from the computer's sleep) and was never tried follows
	// Settings.Late. Default 15 minutes.
	Grace time.Duration
	// Interval is how often the running outbox looks for due posts when
	// nothing is due sooner. Default 30 seconds.
	Interval time.Duration
	// Retries bounds the retries of one part after the network's trouble or
	// a lost connection, with backoff (2 s, 4 s, 8 s, ...). Default 3.
	Retries int
	// MaxRateWait is how long RunDue waits for a rate limit to lift before
	// it leaves the post scheduled. The running outbox never waits: it comes
	// back after the reset. Default 15 minutes.
	MaxRateWait time.Duration
	// Notify hears of every change the outbox makes to a post or account.
	// It is called from the outbox's goroutine or the caller of RunDue,
	// PublishNow and the like, never while the outbox holds its lock. It must
	// not block: the UI hands its work to fyne.Do, never fyne.DoAndWait,
	// since Stop waits for the outbox's goroutine.
	Notify func(Event)
}

// Event tells of a change the outbox made.
type Event struct {
	PostID    string         `json:"post_id,omitempty"`
	AccountID string         `json:"account_id,omitempty"`
	Status    planner.Status `json:"status,omitempty"` // the post's new status
	Key       string         `json:"key"`              // translation key of the message to show
	URL       string         `json:"url,omitempty"`    // where the published post is
}

// Action is what the outbox did, or in a dry run would do, with a post.
type Action string

// The actions.
const (
	ActionPublish     Action = "publish"
	ActionPublishLate Action = "publish-late" // fell due while closed; Settings.Late says publish
	ActionAsk         Action = "ask"          // fell due while closed; marked needs-attention
	ActionSkip        Action = "skip"         // fell due while closed; marked failed
	ActionManual      Action = "manual"       // no linked account among its targets: post by hand
	ActionWait        Action = "wait"         // not tried now: relink, rate limit or offline
	ActionCheck       Action = "check"        // an interrupted attempt: looked for it on the network
)

// Outcome is what became of one post in a run.
type Outcome struct {
	PostID string         `json:"post_id"`
	Action Action         `json:"action"`
	Status planner.Status `json:"status"`        // afterwards; a dry run changes nothing
	Key    string         `json:"key,omitempty"` // the post's LastError, outbox.published, or in a dry run the action's key
	URLs   []string       `json:"urls,omitempty"`
}

// Summary is what a run did.
type Summary struct {
	Published      int       `json:"published"`
	Failed         int       `json:"failed"`
	NeedsAttention int       `json:"needs_attention"`
	Waiting        int       `json:"waiting"` // left scheduled to go out later
	Relink         int       `json:"relink"`  // of those waiting, how many wait for an account to be linked again
	Manual         int       `json:"manual"`  // due, to be posted by hand
	Posts          []Outcome `json:"posts"`
}

// add counts what became of a post. A post met twice in a run is counted
// by its last outcome.
func (s *Summary) add(o Outcome) {
	for i, prev := range s.Posts {
		if prev.PostID == o.PostID {
			s.count(prev, -1)
			s.Posts = append(s.Posts[:i], s.Posts[i+1:]...)
			break
		}
	}
	s.Posts = append(s.Posts, o)
	s.count(o, 1)
}

func (s *Summary) count(o Outcome, n int) {
	if o.Action == ActionWait && explain.Relinking(o.Key) {
		s.Relink += n
	}
	switch {
	case o.Action == ActionManual:
		s.Manual += n
	case o.Status == planner.StatusPublished:
		s.Published += n
	case o.Status == planner.StatusFailed:
		s.Failed += n
	case o.Status == planner.StatusNeedsAttention:
		s.NeedsAttention += n
	default:
		s.Waiting += n
	}
}

// Outbox publishes due posts: one run at a time with RunDue, or on time
// while the app runs with Start and Stop. Use one Outbox per store.
type Outbox struct {
	store  planner.Store
	pubs   Publishers
	images ImageSource
	log    logrus.FieldLogger
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	opts   Options

	run sync.Mutex // one publishing run at a time

	mu         sync.Mutex
	blocked    map[string]time.Time // account ID → when its rate limit lifts
	manualSeen map[string]bool
	lastScan   time.Time
	awakeSince time.Time
	cancel     context.CancelFunc
	done       chan struct{}
	wake       chan struct{}

	// beforeSend runs between a part's pending mark and its request, and
	// afterSend between the network's answer and its record; tests crash
	// there.
	beforeSend func(accountID string, part int)
	afterSend  func(accountID string, part int, r Remote)
}

// The outbox's defaults.
const (
	defaultGrace    = 15 * time.Minute
	defaultInterval = 30 * time.Second
	defaultRetries  = 3
	defaultRateWait = 15 * time.Minute
	// lookBack widens the search for a part of unknown fate, for clocks that differ.
	lookBack = 5 * time.Minute
	// settleTime is how long after a part's request began Kaiku waits
	// before it looks for the part: a request whose sender was killed may
	// still be under way at the network.
	settleTime = time.Second
)

// New makes an outbox; opts.Store and opts.Publishers are required.
func New(opts Options) *Outbox {
	if opts.Grace <= 0 {
		opts.Grace = defaultGrace
	}
	if opts.Interval <= 0 {
		opts.Interval = defaultInterval
	}
	if opts.Retries <= 0 {
		opts.Retries = defaultRetries
	}
	if opts.MaxRateWait <= 0 {
		opts.MaxRateWait = defaultRateWait
	}
	if opts.Images == nil && opts.Store != nil {
		opts.Images = opts.Store
	}
	o := &Outbox{store: opts.Store, pubs: opts.Publishers, images: opts.Images, log: opts.Log, now: opts.Now, sleep: opts.Sleep, opts: opts,
		blocked: map[string]time.Time{}, manualSeen: map[string]bool{}, wake: make(chan struct{}, 1)}
	if o.log == nil {
		o.log = logrus.StandardLogger()
	}
	o.log = o.log.WithField("component", "outbox")
	if o.now == nil {
		o.now = time.Now
	}
	if o.sleep == nil {
		o.sleep = remote.Sleep
	}
	return o
}

func (o *Outbox) emit(events []Event) {
	if o.opts.Notify == nil {
		return
	}
	for _, e := range events {
		o.opts.Notify(e)
	}
}
