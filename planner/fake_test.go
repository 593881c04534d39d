package planner_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// memStore keeps in memory what the use cases read and write, with
// planner.Store's contract: a Save checks its value, a missing thing is
// ErrNotFound. The methods no test here needs are left to the embedded nil
// interface, and calling one fails the test loudly.
type memStore struct {
	planner.Store
	mu       sync.Mutex
	posts    map[string]planner.Post
	plans    []planner.SlotPlan
	xs       []planner.SlotException
	goals    []planner.Goal
	profile  *planner.RoleProfile
	settings planner.Settings
	busy     []planner.BusyInterval
	accounts []planner.Account
	// beforeUpdate, if set, runs inside UpdatePost before change sees the
	// post: another writer's save racing the user's.
	beforeUpdate func(*planner.Post)
}

func newMemStore() *memStore {
	return &memStore{posts: map[string]planner.Post{}, settings: planner.DefaultSettings()}
}

func (m *memStore) SavePost(_ context.Context, p planner.Post) error {
	if err := p.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.posts[p.ID] = p
	return nil
}

func (m *memStore) UpdatePost(_ context.Context, id string, change func(*planner.Post) error) (planner.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.posts[id]
	if !ok {
		return planner.Post{}, fmt.Errorf("load post %s: %w", id, planner.ErrNotFound)
	}
	if m.beforeUpdate != nil {
		m.beforeUpdate(&p)
		m.posts[id] = p
	}
	if err := change(&p); err != nil {
		return planner.Post{}, err
	}
	if err := p.Validate(); err != nil {
		return planner.Post{}, err
	}
	m.posts[id] = p
	return p, nil
}

func (m *memStore) Post(_ context.Context, id string) (planner.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.posts[id]
	if !ok {
		return planner.Post{}, fmt.Errorf("load post %s: %w", id, planner.ErrNotFound)
	}
	return p, nil
}

func (m *memStore) PostsBetween(_ context.Context, from, to time.Time) ([]planner.Post, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []planner.Post
	for _, p := range m.posts {
		if !p.Time.IsZero() && !p.Time.Before(from) && p.Time.Before(to) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b planner.Post) int { return a.Time.Compare(b.Time) })
	return out, nil
}

func (m *memStore) SavePlan(_ context.Context, p planner.SlotPlan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.plans = []planner.SlotPlan{p}
	return nil
}

func (m *memStore) Plans(context.Context) ([]planner.SlotPlan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.plans), nil
}

func (m *memStore) Exceptions(context.Context) ([]planner.SlotException, error) {
	return slices.Clone(m.xs), nil
}

func (m *memStore) Goals(context.Context) ([]planner.Goal, error) { return slices.Clone(m.goals), nil }

func (m *memStore) Profile(context.Context) (planner.RoleProfile, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profile == nil {
		return planner.RoleProfile{}, fmt.Errorf("load profile: %w", planner.ErrNotFound)
	}
	return *m.profile, nil
}

func (m *memStore) SaveProfile(_ context.Context, p planner.RoleProfile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.profile = &p
	return nil
}

func (m *memStore) Settings(context.Context) (planner.Settings, error) { return m.settings, nil }

func (m *memStore) Accounts(context.Context) ([]planner.Account, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.accounts), nil
}

func (m *memStore) BusyBetween(_ context.Context, from, to time.Time) ([]planner.BusyInterval, error) {
	return planner.BusyBetween(m.busy, from, to), nil
}
