package outbox_test

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// closingStore starts closing the store while the first change function of
// an update runs, as quitting the app may at any moment: Close then waits
// for the update's transaction, and a store read from inside the change
// function would wait for Close for ever.
type closingStore struct {
	*storage.Store
	once   sync.Once
	closed chan error
}

func (s *closingStore) UpdatePost(ctx context.Context, id string, change func(*planner.Post) error) (planner.Post, error) {
	return s.Store.UpdatePost(ctx, id, func(p *planner.Post) error {
		s.once.Do(func() {
			go func() { s.closed <- s.Store.Close() }()
			time.Sleep(100 * time.Millisecond) // Close is waiting by now
		})
		return change(p)
	})
}

// The user's decisions never read the store inside the transaction that
// saves them, so closing the store at that moment cannot hang them.
func TestDecisionsDoNotDeadlockWithClose(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status planner.Status
		decide func(ctx context.Context, ob *accounts.Outbox, id string) (planner.Post, error)
	}{
		{"it went out, with its address", planner.StatusNeedsAttention, func(ctx context.Context, ob *accounts.Outbox, id string) (planner.Post, error) {
			return ob.ConfirmPublished(ctx, id, "https://x.com/kaiku_tester/status/1")
		}},
		{"posted by hand", planner.StatusScheduled, func(ctx context.Context, ob *accounts.Outbox, id string) (planner.Post, error) {
			return ob.MarkPublishedByHand(ctx, id, planner.NetworkLinkedIn, "")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			log := logrus.New()
			log.SetOutput(io.Discard)
			st, err := storage.Open(dir, storage.Options{Logger: log})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			acc := planner.Account{ID: planner.NewID(), Network: planner.NetworkX, Handle: "kaiku_tester", Status: planner.AccountLinked, Created: now, Updated: now}
			p := planner.Post{ID: planner.NewID(), Text: "Lähtikö?", Status: tc.status, Time: now, Created: now, Updated: now,
				Targets: []planner.Target{{AccountID: acc.ID, Network: planner.NetworkX}, {Network: planner.NetworkLinkedIn}}}
			if err := st.SaveAccount(ctx, acc); err != nil {
				t.Fatal(err)
			}
			if err := st.SavePost(ctx, p); err != nil {
				t.Fatal(err)
			}
			cs := &closingStore{Store: st, closed: make(chan error, 1)}
			m, err := accounts.New(accounts.Options{Store: cs, DataDir: dir, Logger: log, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			ob := m.NewOutbox(accounts.OutboxOptions{})
			done := make(chan error, 1)
			go func() {
				_, err := tc.decide(ctx, ob, p.ID)
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the decision and Close wait for each other")
			}
			if err := <-cs.closed; err != nil {
				t.Fatal(err)
			}
		})
	}
}
