package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

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
		now := o.now()
		o.mu.Lock()
		// A long gap between looks means the computer slept: as good as
		// closed. Wall time, since the monotonic clock stops in suspend.
		if o.awakeSince.IsZero() || now.Round(0).Sub(o.lastScan.Round(0)) > o.opts.Grace {
			o.awakeSince = now
		}
		o.lastScan = now
		awake := o.awakeSince
		o.mu.Unlock()
		_, events, err := o.scan(ctx, mode{now: now, awake: awake})
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
	now := o.now()
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
