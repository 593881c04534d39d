package accounts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/planner/textrules"
)

// OutboxOptions tune an Outbox; zero values take the defaults.
type OutboxOptions struct {
	// Grace is how late a post may be and still count as on time. A post
	// that fell due more than Grace before the outbox woke (started, or came
	// back from the computer's sleep) and was never tried follows
	// Settings.Late. Default 15 minutes.
	Grace time.Duration
	// Interval is how often the running outbox looks for due posts when
	// nothing is due sooner. Default 30 seconds.
	Interval time.Duration
	// Retries bounds the retries of one part after X's trouble or a lost
	// connection, with backoff (2 s, 4 s, 8 s, ...). Default 3.
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

// add counts what became of a post. A post met twice in a run (a thread
// resumed after its interrupted part was found) is counted by its last
// outcome.
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
	if o.Action == ActionWait && relinkKey(o.Key) {
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

// relinkKey reports whether a post waits, for this reason, until its
// account is linked again.
func relinkKey(key string) bool {
	switch key {
	case keyRelink, keyPermission, keyProject, keySecretsDamaged:
		return true
	}
	return false
}

// Outbox publishes due posts: one run at a time with RunDue, or on time
// while the app runs with Start and Stop. A post is marked publishing, with
// an attempt ID, in storage before each request, and each part is recorded
// before the next is sent, so nothing goes out twice. Use one Outbox per
// store.
type Outbox struct {
	m     *Manager
	store planner.Store
	log   logrus.FieldLogger
	opts  OutboxOptions

	run sync.Mutex // one publishing run at a time

	mu         sync.Mutex
	blocked    map[string]time.Time // account ID → when its rate limit lifts
	manualSeen map[string]bool
	lastScan   time.Time
	awakeSince time.Time
	cancel     context.CancelFunc
	done       chan struct{}
	wake       chan struct{}

	// afterSend runs between X's answer and its record; tests crash there.
	afterSend func(accountID string, part int, r Remote)
}

// The outbox's defaults.
const (
	defaultGrace    = 15 * time.Minute
	defaultInterval = 30 * time.Second
	defaultRetries  = 3
	defaultRateWait = 15 * time.Minute
	// lookBack widens the search for a post of unknown fate, for clocks that differ.
	lookBack = 5 * time.Minute
)

// NewOutbox makes the outbox of the manager's store.
func (m *Manager) NewOutbox(opts OutboxOptions) *Outbox {
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
	return &Outbox{
		m: m, store: m.store, log: m.log.WithField("component", "outbox"), opts: opts,
		blocked: map[string]time.Time{}, manualSeen: map[string]bool{}, wake: make(chan struct{}, 1),
	}
}

// RunDue publishes what is due now, once, for `kaiku publish-due`: first it
// settles attempts a crash interrupted, then it publishes due posts, those
// that fell due while Kaiku was closed as Settings.Late says. Cancelling
// ctx stops it between parts; a request under way is let finish.
func (o *Outbox) RunDue(ctx context.Context) (Summary, error) {
	return o.runOnce(ctx, false)
}

// DryRun says what RunDue would do, without a network call or a change.
func (o *Outbox) DryRun(ctx context.Context) (Summary, error) {
	return o.runOnce(ctx, true)
}

func (o *Outbox) runOnce(ctx context.Context, dry bool) (Summary, error) {
	now := o.m.now()
	sum, events, err := o.scan(ctx, scanMode{dry: dry, waitRate: true, now: now, awake: now})
	o.emit(events)
	return sum, err
}

// Start runs the outbox in its own goroutine until Stop or ctx ends: due
// posts go out on time. It first settles interrupted attempts, and posts
// that fell due more than Grace before it started follow Settings.Late.
func (o *Outbox) Start(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cancel != nil {
		return errors.New("the outbox is already running")
	}
	ctx, cancel := context.WithCancel(ctx)
	o.cancel, o.done = cancel, make(chan struct{})
	o.awakeSince, o.lastScan = time.Time{}, time.Time{}
	go o.loop(ctx, o.done)
	return nil
}

// Stop stops the running outbox and waits for it: a part being sent is let
// finish and is recorded; the rest of a thread goes out after the next start.
func (o *Outbox) Stop() {
	o.mu.Lock()
	cancel, done := o.cancel, o.done
	o.cancel, o.done = nil, nil
	o.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Wake makes the running outbox look for due posts now, say after the user
// scheduled one for right away.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *Outbox) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	for {
		now := o.m.now()
		o.mu.Lock()
		// A long gap between looks means the computer slept: as good as
		// closed. Wall time, since the monotonic clock stops in suspend.
		if o.awakeSince.IsZero() || now.Round(0).Sub(o.lastScan.Round(0)) > o.opts.Grace {
			o.awakeSince = now
		}
		o.lastScan = now
		awake := o.awakeSince
		o.mu.Unlock()
		_, events, err := o.scan(ctx, scanMode{now: now, awake: awake})
		if err != nil && ctx.Err() == nil {
			o.log.WithError(err).Warn("the outbox could not publish")
		}
		o.emit(events)
		t := time.NewTimer(o.nextWake(ctx))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-o.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// nextWake is how long to sleep: until the next scheduled post or rate
// limit reset, at most Interval.
func (o *Outbox) nextWake(ctx context.Context) time.Duration {
	now := o.m.now()
	d := o.opts.Interval
	consider := func(t time.Time) {
		if w := t.Sub(now); w > 0 && w < d {
			d = w
		}
	}
	if posts, err := o.store.PostsWithStatus(ctx, planner.StatusScheduled); err == nil {
		for _, p := range posts {
			if p.Time.After(now) {
				consider(p.Time)
				break
			}
		}
	}
	o.mu.Lock()
	for _, t := range o.blocked {
		consider(t)
	}
	o.mu.Unlock()
	return max(d, 50*time.Millisecond)
}

func (o *Outbox) emit(events []Event) {
	if o.opts.Notify == nil {
		return
	}
	for _, e := range events {
		o.opts.Notify(e)
	}
}

// scanMode says how a run behaves.
type scanMode struct {
	dry      bool
	waitRate bool      // wait for a rate limit to lift, up to MaxRateWait
	now      time.Time // what is due is due by now
	awake    time.Time // since when the outbox has been watching, for late posts
}

// scan is one run: interrupted attempts, then due posts.
type scan struct {
	mode    scanMode
	late    planner.LatePolicy
	offline map[string]bool // accounts whose network did not answer in this run
	events  []Event
}

func (o *Outbox) scan(ctx context.Context, mode scanMode) (Summary, []Event, error) {
	o.run.Lock()
	defer o.run.Unlock()
	sum := Summary{Posts: []Outcome{}}
	settings, err := o.store.Settings(ctx)
	if err != nil {
		return sum, nil, err
	}
	s := &scan{mode: mode, late: settings.Late, offline: map[string]bool{}}

	// Attempts a crash or a lost answer left open come first: what they
	// find decides what is left to send.
	stuck, err := o.store.PostsWithStatus(ctx, planner.StatusPublishing, planner.StatusNeedsAttention)
	if err != nil {
		return sum, s.events, err
	}
	for _, p := range stuck {
		if p.Status == planner.StatusNeedsAttention && p.Attempt == "" {
			continue
		}
		if ctx.Err() != nil {
			return sum, s.events, nil
		}
		out, err := o.recover(ctx, s, p.ID)
		if err != nil {
			return sum, s.events, err
		}
		sum.add(out)
	}

	due, err := o.store.PostsWithStatus(ctx, planner.StatusScheduled)
	if err != nil {
		return sum, s.events, err
	}
	for _, p := range due {
		if p.Time.After(s.mode.now) {
			continue
		}
		if ctx.Err() != nil {
			return sum, s.events, nil
		}
		out, ok, err := o.due(ctx, s, p.ID)
		if err != nil {
			return sum, s.events, err
		}
		if ok {
			sum.add(out)
		}
	}
	return sum, s.events, nil
}

// due handles one due post: by hand, late, or published.
func (o *Outbox) due(ctx context.Context, s *scan, id string) (Outcome, bool, error) {
	p, err := o.store.Post(ctx, id)
	if errors.Is(err, planner.ErrNotFound) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, false, err
	}
	if p.Status != planner.StatusScheduled || p.Time.After(s.mode.now) {
		return Outcome{}, false, nil
	}
	if len(accountTargets(p)) == 0 {
		if s.mode.dry {
			return Outcome{PostID: p.ID, Action: ActionManual, Status: p.Status, Key: keyActionPrefix + string(ActionManual)}, true, nil
		}
		// One reminder per post while the outbox runs.
		o.mu.Lock()
		seen := o.manualSeen[p.ID]
		o.manualSeen[p.ID] = true
		o.mu.Unlock()
		if !seen {
			s.events = append(s.events, Event{PostID: p.ID, Status: p.Status, Key: keyManualDue})
		}
		return Outcome{PostID: p.ID, Action: ActionManual, Status: p.Status, Key: keyManualDue}, true, nil
	}
	action := ActionPublish
	if p.Time.Before(s.mode.awake.Add(-o.opts.Grace)) && !tried(p) {
		switch s.late {
		case planner.LateAsk:
			action = ActionAsk
		case planner.LateSkip:
			action = ActionSkip
		default:
			action = ActionPublishLate
		}
	}
	if s.mode.dry {
		if (action == ActionPublish || action == ActionPublishLate) && o.mustWait(ctx, s, p) {
			action = ActionWait
		}
		return Outcome{PostID: p.ID, Action: action, Status: p.Status, Key: keyActionPrefix + string(action)}, true, nil
	}
	before := p
	switch action {
	case ActionAsk:
		out, err := o.finish(ctx, s, &p, before, planner.StatusNeedsAttention, keyLateAsk, false)
		out.Action = action
		return out, true, err
	case ActionSkip:
		out, err := o.finish(ctx, s, &p, before, planner.StatusFailed, keyLateSkipped, false)
		out.Action = action
		return out, true, err
	}
	out, err := o.publish(ctx, s, &p, action)
	return out, true, err
}

// tried reports whether an outbox has had a go at the post: such a post is
// waiting to go out, never late.
func tried(p planner.Post) bool {
	if p.LastError != "" {
		return true
	}
	for _, r := range p.Results {
		if r.AccountID != "" {
			return true
		}
	}
	return false
}

// mustWait reports whether a dry run would leave the post waiting.
func (o *Outbox) mustWait(ctx context.Context, s *scan, p planner.Post) bool {
	for _, id := range accountTargets(p) {
		acc, err := o.store.Account(ctx, id)
		if err != nil {
			return false
		}
		if nextPart(p, acc.ID) >= len(PostTexts(p, acc.Network)) {
			continue
		}
		return acc.Status == planner.AccountNeedsRelink || o.isBlocked(acc, s.mode.now)
	}
	return false
}

// isBlocked reports whether the account's rate limit, heard in this run or
// an earlier one, has yet to lift.
func (o *Outbox) isBlocked(acc planner.Account, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	reset, ok := o.blocked[acc.ID]
	if acc.RateLimitedUntil.After(reset) {
		reset, ok = acc.RateLimitedUntil, true
		o.blocked[acc.ID] = reset // the running outbox wakes for it
	}
	if ok && !now.Before(reset) {
		delete(o.blocked, acc.ID)
		return false
	}
	return ok
}

// rateLimited notes when the account's limit lifts, on the account too, so
// that the next publish-due waits for it as well.
func (o *Outbox) rateLimited(ctx context.Context, accountID string, reset time.Time) error {
	o.mu.Lock()
	o.blocked[accountID] = reset
	o.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	acc, err := o.store.Account(ctx, accountID)
	if errors.Is(err, planner.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !reset.After(acc.RateLimitedUntil) {
		return nil
	}
	acc.RateLimitedUntil = reset
	if err := o.store.SaveAccount(ctx, acc); err != nil {
		return fmt.Errorf("record the rate limit of account %s: %w", accountID, err)
	}
	return nil
}

// publish sends the post's parts that are not out yet, account by account in
// the order of its targets. It stops at the first account that cannot
// finish, so that only that account can have a part of unknown fate.
func (o *Outbox) publish(ctx context.Context, s *scan, p *planner.Post, action Action) (Outcome, error) {
	before := *p
	log := o.log.WithField("post", p.ID)
	for _, id := range accountTargets(*p) {
		acc, err := o.store.Account(ctx, id)
		if errors.Is(err, planner.ErrNotFound) {
			return o.finish(ctx, s, p, before, planner.StatusNeedsAttention, keyAccountGone, false)
		}
		if err != nil {
			return Outcome{}, err
		}
		texts := PostTexts(*p, acc.Network)
		next := nextPart(*p, acc.ID)
		if next >= len(texts) {
			continue
		}

		// What can be known without asking the network.
		switch {
		case acc.Status == planner.AccountNeedsRelink:
			key := o.m.relinkReason(acc.ID)
			switch p.LastError {
			case keyPermission, keyProject:
				key = p.LastError // the more precise reason stays
			}
			return o.wait(ctx, s, p, before, key)
		case o.isBlocked(acc, s.mode.now):
			return o.wait(ctx, s, p, before, keyRateLimited)
		case s.offline[acc.ID]:
			return o.wait(ctx, s, p, before, keyOffline)
		}
		for _, t := range texts[next:] {
			if !textrules.CountWithLimit(textrules.Network(acc.Network), t, acc.TextLimit).Valid {
				return o.finish(ctx, s, p, before, planner.StatusFailed, keyTooLong, false)
			}
		}
		pub, err := o.m.Publisher(ctx, acc)
		if err != nil {
			e := asError(err)
			switch e.kind {
			case kindAuth:
				s.events = append(s.events, Event{AccountID: acc.ID, Key: e.Key})
				return o.wait(ctx, s, p, before, e.Key)
			case kindSecrets:
				return o.wait(ctx, s, p, before, e.Key)
			}
			return o.finish(ctx, s, p, before, planner.StatusNeedsAttention, e.Key, false)
		}

		// Never twice: the attempt is on disk before the first request.
		if p.Status != planner.StatusPublishing {
			claimed, err := o.claim(ctx, p)
			if err != nil {
				return Outcome{}, err
			}
			if !claimed {
				// The next run reads it again, at once where Kaiku is open.
				log.Debug("changed while being read")
				o.Wake()
				return Outcome{PostID: p.ID, Action: ActionWait, Status: p.Status}, nil
			}
		}
		since := o.m.now().Add(-lookBack)
		for k := next; k < len(texts); k++ {
			if ctx.Err() != nil {
				// Stopped between parts: what is out is recorded; the rest goes later.
				return o.finish(ctx, s, p, before, planner.StatusScheduled, "", false)
			}
			replyTo := ""
			if k > 0 {
				replyTo = remoteID(*p, acc.ID, k-1)
			}
			log.WithFields(logrus.Fields{"account": acc.ID, "part": k, "parts": len(texts)}).Debug("publishing")
			r, err := o.sendPart(ctx, pub, texts[k], replyTo, since, s.mode.waitRate)
			if err != nil {
				return o.failed(ctx, s, p, before, acc, k, asError(err))
			}
			if o.afterSend != nil {
				o.afterSend(acc.ID, k, r)
			}
			at := r.At
			if at.IsZero() {
				at = o.m.now()
			}
			addResult(p, planner.PublishResult{AccountID: acc.ID, Network: acc.Network, Part: k, RemoteID: r.ID, URL: r.URL, At: at})
			if err := o.save(ctx, p); err != nil {
				// The post stays publishing on disk; the next run looks for this part.
				return Outcome{}, err
			}
			log.WithFields(logrus.Fields{"account": acc.ID, "part": k, "remote": r.ID}).Info("published")
		}
	}
	out, err := o.finish(ctx, s, p, before, planner.StatusPublished, "", false)
	out.Action = action
	return out, err
}

// wait leaves the post scheduled, telling why.
func (o *Outbox) wait(ctx context.Context, s *scan, p *planner.Post, before planner.Post, key string) (Outcome, error) {
	out, err := o.finish(ctx, s, p, before, planner.StatusScheduled, key, false)
	out.Action = ActionWait
	return out, err
}

// failed settles the post after part k failed for the account.
func (o *Outbox) failed(ctx context.Context, s *scan, p *planner.Post, before planner.Post, acc planner.Account, k int, e *Error) (Outcome, error) {
	o.log.WithFields(logrus.Fields{"post": p.ID, "account": acc.ID, "part": k, "status": e.Status, "reason": e.Key, "detail": e.Detail}).
		Warn("publishing failed")
	switch e.kind {
	case kindAuth:
		if _, err := o.m.needsRelink(ctx, acc, e); !errors.Is(err, e) {
			return Outcome{}, err
		}
		s.events = append(s.events, Event{AccountID: acc.ID, Key: e.Key})
		return o.wait(ctx, s, p, before, e.Key)
	case kindRate:
		if err := o.rateLimited(ctx, acc.ID, e.reset); err != nil {
			return Outcome{}, err
		}
		return o.wait(ctx, s, p, before, keyRateLimited)
	case kindServer:
		return o.wait(ctx, s, p, before, keyServer)
	case kindNetwork:
		s.offline[acc.ID] = true
		return o.wait(ctx, s, p, before, keyOffline)
	case kindSecrets:
		return o.wait(ctx, s, p, before, keySecrets)
	case kindUnknown:
		// The attempt stays open while the next run may find the part.
		return o.finish(ctx, s, p, before, planner.StatusNeedsAttention, keyInterrupted, e.lookAgain)
	case kindRejected:
		detail := e.Detail
		if detail == "" {
			detail = e.Msg
		}
		addResult(p, planner.PublishResult{AccountID: acc.ID, Network: acc.Network, Part: k, At: o.m.now(), Error: detail})
		return o.finish(ctx, s, p, before, planner.StatusFailed, e.Key, false)
	}
	return o.finish(ctx, s, p, before, planner.StatusFailed, keyUnexpected, false)
}

// finish gives the post its status and message, saves it when anything
// changed, and tells the app.
func (o *Outbox) finish(ctx context.Context, s *scan, p *planner.Post, before planner.Post, status planner.Status, key string, keepAttempt bool) (Outcome, error) {
	// A post marked publishing on the way here is on disk as such.
	marked := p.Status != before.Status
	p.Status, p.LastError = status, key
	if !keepAttempt {
		p.Attempt = ""
	}
	out := Outcome{PostID: p.ID, Action: ActionPublish, Status: status, Key: key, URLs: postURLs(*p)}
	if status == planner.StatusPublished {
		out.Key = keyPublished
	}
	changed := marked || p.Status != before.Status || p.LastError != before.LastError || p.Attempt != before.Attempt || len(p.Results) != len(before.Results)
	if !changed {
		return out, nil
	}
	if err := o.save(ctx, p); err != nil {
		return out, err
	}
	if p.Status != before.Status || p.LastError != before.LastError {
		ev := Event{PostID: p.ID, Status: status, Key: out.Key}
		if len(out.URLs) > 0 {
			ev.URL = out.URLs[0]
		}
		s.events = append(s.events, ev)
	}
	return out, nil
}

// save records what the outbox did to the post, durably: its status,
// attempt, error and results. The rest (the text, targets, time) stays as
// stored, since the user may have changed it while the outbox worked from
// an older copy. A cancelled run still records what it did.
func (o *Outbox) save(ctx context.Context, p *planner.Post) error {
	p.Updated = o.m.now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	stored, err := o.store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
		q.Status, q.Attempt, q.LastError, q.Results, q.Updated = p.Status, p.Attempt, p.LastError, p.Results, p.Updated
		return nil
	})
	if errors.Is(err, planner.ErrNotFound) {
		// Deleted while the outbox worked on it: what went out is kept on record.
		err = o.store.SavePost(ctx, *p)
		stored = *p
	}
	if err != nil {
		return fmt.Errorf("record post %s: %w", p.ID, err)
	}
	*p = stored
	return nil
}

// errChanged stops a claim on a post the user changed since the outbox read it.
var errChanged = errors.New("the post changed since it was read")

// claim marks the post as being published, before the first request, so
// that a crash never sends it twice; and only if it is still as the outbox
// read it, since it would otherwise send an older text. claimed is false
// when the user changed it meanwhile: the next run reads it again.
func (o *Outbox) claim(ctx context.Context, p *planner.Post) (claimed bool, err error) {
	now, attempt := o.m.now(), planner.NewID()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	stored, err := o.store.UpdatePost(ctx, p.ID, func(q *planner.Post) error {
		if !q.Updated.Equal(p.Updated) || q.Status != p.Status {
			return errChanged
		}
		q.Status, q.Attempt, q.LastError, q.Updated = planner.StatusPublishing, attempt, "", now
		return nil
	})
	switch {
	case errors.Is(err, errChanged), errors.Is(err, planner.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("record post %s: %w", p.ID, err)
	}
	*p = stored
	return true, nil
}

// sendPart sends one part, retrying X's trouble and lost connections with
// backoff. When the request may have reached X, it looks for the part among
// the account's recent posts before sending it again.
func (o *Outbox) sendPart(ctx context.Context, pub Publisher, text, replyTo string, since time.Time, waitRate bool) (Remote, error) {
	// A request under way is let finish, so its answer can be recorded.
	callCtx := context.WithoutCancel(ctx)
	rateWaits := 0
	for attempt := 0; ; attempt++ {
		r, err := pub.Publish(callCtx, text, replyTo)
		if err == nil {
			return r, nil
		}
		e := asError(err)
		if e.maybeSent {
			// A moment for X's timeline to show the post, then a look.
			if o.m.sleep(ctx, backoff(attempt)) != nil {
				return Remote{}, unknownFate(e, true)
			}
			found, ok, lerr := findSent(callCtx, pub, text, replyTo, since)
			if lerr != nil {
				return Remote{}, unknownFate(e, asError(lerr).transient())
			}
			if ok {
				return found, nil
			}
			if attempt >= o.opts.Retries {
				return Remote{}, e
			}
			continue
		}
		switch e.kind {
		case kindServer, kindNetwork:
			if attempt >= o.opts.Retries || o.m.sleep(ctx, backoff(attempt)) != nil {
				return Remote{}, e
			}
		case kindRate:
			wait := e.reset.Sub(o.m.now())
			if !waitRate || wait > o.opts.MaxRateWait || rateWaits >= 2 {
				return Remote{}, e
			}
			rateWaits++
			attempt-- // waiting out a limit is not a retry
			if o.m.sleep(ctx, max(wait, 0)+time.Second) != nil {
				return Remote{}, e
			}
		default:
			return Remote{}, e
		}
	}
}

func backoff(attempt int) time.Duration {
	return min(2*time.Second<<attempt, time.Minute)
}

// unknownFate is a part that may have gone out; lookAgain says whether a
// later look may find out (X's Free tier, for one, may not read timelines).
func unknownFate(cause *Error, lookAgain bool) *Error {
	return &Error{Key: keyInterrupted, Msg: Message(keyInterrupted), Status: cause.Status, Detail: cause.Detail, Err: cause, kind: kindUnknown, lookAgain: lookAgain}
}

// recover settles an attempt that was interrupted (the post is still
// publishing) or whose last answer got lost (needs-attention with its
// attempt): it looks for the part of unknown fate on the network. Found, it
// is recorded and the rest goes out; not found, the user decides.
func (o *Outbox) recover(ctx context.Context, s *scan, id string) (Outcome, error) {
	p, err := o.store.Post(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	if s.mode.dry {
		return Outcome{PostID: p.ID, Action: ActionCheck, Status: p.Status, Key: keyActionPrefix + string(ActionCheck)}, nil
	}
	before := p
	check := func(out Outcome, err error) (Outcome, error) {
		out.Action = ActionCheck
		return out, err
	}
	log := o.log.WithField("post", p.ID)
	for _, aid := range accountTargets(p) {
		acc, err := o.store.Account(ctx, aid)
		if errors.Is(err, planner.ErrNotFound) {
			return check(o.finish(ctx, s, &p, before, planner.StatusNeedsAttention, keyAccountGone, false))
		}
		if err != nil {
			return Outcome{}, err
		}
		texts := PostTexts(p, acc.Network)
		k := nextPart(p, acc.ID)
		if k >= len(texts) {
			continue
		}
		pub, err := o.m.Publisher(ctx, acc)
		if err != nil {
			e := asError(err)
			log.WithField("reason", e.Key).Warn("cannot look for an interrupted post")
			// A relinked account can look again; the user may decide first.
			return check(o.finish(ctx, s, &p, before, planner.StatusNeedsAttention, keyInterrupted, e.transient() || e.kind == kindAuth))
		}
		replyTo := ""
		if k > 0 {
			replyTo = remoteID(p, acc.ID, k-1)
		}
		since := p.Updated.Add(-lookBack)
		r, found, err := findSent(context.WithoutCancel(ctx), pub, texts[k], replyTo, since)
		switch {
		case err != nil:
			e := asError(err)
			log.WithFields(logrus.Fields{"reason": e.Key, "status": e.Status, "detail": e.Detail}).Warn("cannot look for an interrupted post")
			return check(o.finish(ctx, s, &p, before, planner.StatusNeedsAttention, keyInterrupted, e.transient()))
		case !found:
			log.WithFields(logrus.Fields{"account": acc.ID, "part": k}).Warn("an interrupted post is not on the network; the user decides")
			return check(o.finish(ctx, s, &p, before, planner.StatusNeedsAttention, keyInterrupted, false))
		}
		log.WithFields(logrus.Fields{"account": acc.ID, "part": k, "remote": r.ID}).Info("found an interrupted post on the network")
		at := r.At
		if at.IsZero() {
			at = o.m.now()
		}
		addResult(&p, planner.PublishResult{AccountID: acc.ID, Network: acc.Network, Part: k, RemoteID: r.ID, URL: r.URL, At: at})
		// Later parts were never sent: each waits for the one before it to be recorded.
		accs, err := o.accountsOf(ctx, p)
		if err != nil {
			return Outcome{}, err
		}
		if hasUnfinished(p, accs) {
			return check(o.finish(ctx, s, &p, before, planner.StatusScheduled, "", false))
		}
		return check(o.finish(ctx, s, &p, before, planner.StatusPublished, "", false))
	}
	return check(o.finish(ctx, s, &p, before, planner.StatusPublished, "", false))
}

// accountsOf reads the post's linked accounts that still exist.
func (o *Outbox) accountsOf(ctx context.Context, p planner.Post) (map[string]planner.Account, error) {
	accs := map[string]planner.Account{}
	for _, id := range accountTargets(p) {
		acc, err := o.store.Account(ctx, id)
		switch {
		case errors.Is(err, planner.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			accs[id] = acc
		}
	}
	return accs, nil
}

// hasUnfinished reports whether any of the post's linked accounts (accs,
// those that still exist) still has parts to send.
func hasUnfinished(p planner.Post, accs map[string]planner.Account) bool {
	for _, id := range accountTargets(p) {
		if acc, ok := accs[id]; ok && nextPart(p, id) < len(PostTexts(p, acc.Network)) {
			return true
		}
	}
	return false
}

// accountTargets lists the post's linked-account targets, each once, in order.
func accountTargets(p planner.Post) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range p.Targets {
		if t.AccountID != "" && !seen[t.AccountID] {
			seen[t.AccountID] = true
			out = append(out, t.AccountID)
		}
	}
	return out
}

// nextPart is the first part not yet out through the account.
func nextPart(p planner.Post, accountID string) int {
	out := map[int]bool{}
	for _, r := range p.Results {
		if r.AccountID == accountID && r.RemoteID != "" && r.Error == "" {
			out[r.Part] = true
		}
	}
	k := 0
	for out[k] {
		k++
	}
	return k
}

func remoteID(p planner.Post, accountID string, part int) string {
	for _, r := range p.Results {
		if r.AccountID == accountID && r.Part == part && r.RemoteID != "" && r.Error == "" {
			return r.RemoteID
		}
	}
	return ""
}

// addResult records a part's result; a success or a newer failure replaces
// the failure recorded for the same part.
func addResult(p *planner.Post, r planner.PublishResult) {
	kept := p.Results[:0:0]
	for _, x := range p.Results {
		if x.Error != "" && x.AccountID == r.AccountID && x.Network == r.Network && x.Part == r.Part {
			continue
		}
		kept = append(kept, x)
	}
	p.Results = append(kept, r)
}

// dropFailures forgets recorded failures, when the user tries again.
func dropFailures(p *planner.Post) {
	kept := p.Results[:0:0]
	for _, x := range p.Results {
		if x.Error == "" {
			kept = append(kept, x)
		}
	}
	p.Results = kept
}

func postURLs(p planner.Post) []string {
	var out []string
	for _, r := range p.Results {
		if r.URL != "" && r.Error == "" {
			out = append(out, r.URL)
		}
	}
	return out
}
