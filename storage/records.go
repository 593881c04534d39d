package storage

import (
	"context"
	"errors"

	"github.com/kaiku-app/kaiku/planner"
)

// SavePlan creates or replaces the slot plan.
func (s *Store) SavePlan(ctx context.Context, p planner.SlotPlan) error {
	return s.save(ctx, "save plan "+p.ID, idKey(prefixPlan, p.ID), p)
}

// Plan returns the slot plan with the ID.
func (s *Store) Plan(ctx context.Context, id string) (planner.SlotPlan, error) {
	return load[planner.SlotPlan](ctx, s, "load plan "+id, idKey(prefixPlan, id))
}

// Plans returns the slot plans by ID.
func (s *Store) Plans(ctx context.Context) ([]planner.SlotPlan, error) {
	return list[planner.SlotPlan](ctx, s, "list plans", prefixPlan)
}

// DeletePlan removes the slot plan; its occurrences' exceptions stay.
func (s *Store) DeletePlan(ctx context.Context, id string) error {
	return s.remove(ctx, "delete plan "+id, idKey(prefixPlan, id))
}

// SaveException creates or replaces the exception for its occurrence.
func (s *Store) SaveException(ctx context.Context, x planner.SlotException) error {
	return s.save(ctx, "save slot exception "+x.OccurrenceID, idKey(prefixException, x.OccurrenceID), x)
}

// DeleteException removes the occurrence's exception.
func (s *Store) DeleteException(ctx context.Context, occurrenceID string) error {
	return s.remove(ctx, "delete slot exception "+occurrenceID, idKey(prefixException, occurrenceID))
}

// Exceptions returns every slot exception by occurrence ID.
func (s *Store) Exceptions(ctx context.Context) ([]planner.SlotException, error) {
	return list[planner.SlotException](ctx, s, "list slot exceptions", prefixException)
}

// SaveGoal creates or replaces the goal.
func (s *Store) SaveGoal(ctx context.Context, g planner.Goal) error {
	return s.save(ctx, "save goal "+g.ID, idKey(prefixGoal, g.ID), g)
}

// Goal returns the goal with the ID.
func (s *Store) Goal(ctx context.Context, id string) (planner.Goal, error) {
	return load[planner.Goal](ctx, s, "load goal "+id, idKey(prefixGoal, id))
}

// Goals returns the goals by ID.
func (s *Store) Goals(ctx context.Context) ([]planner.Goal, error) {
	return list[planner.Goal](ctx, s, "list goals", prefixGoal)
}

// DeleteGoal removes the goal; posts that name it keep the ID.
func (s *Store) DeleteGoal(ctx context.Context, id string) error {
	return s.remove(ctx, "delete goal "+id, idKey(prefixGoal, id))
}

// SaveAccount creates or replaces the account's metadata.
func (s *Store) SaveAccount(ctx context.Context, a planner.Account) error {
	return s.save(ctx, "save account "+a.ID, idKey(prefixAccount, a.ID), a)
}

// Account returns the account with the ID.
func (s *Store) Account(ctx context.Context, id string) (planner.Account, error) {
	return load[planner.Account](ctx, s, "load account "+id, idKey(prefixAccount, id))
}

// Accounts returns the accounts by ID.
func (s *Store) Accounts(ctx context.Context) ([]planner.Account, error) {
	return list[planner.Account](ctx, s, "list accounts", prefixAccount)
}

// DeleteAccount removes the account's metadata.
func (s *Store) DeleteAccount(ctx context.Context, id string) error {
	return s.remove(ctx, "delete account "+id, idKey(prefixAccount, id))
}

// Profile returns the role profile; ErrNotFound before the first is saved.
func (s *Store) Profile(ctx context.Context) (planner.RoleProfile, error) {
	return load[planner.RoleProfile](ctx, s, "load role profile", []byte(keyProfile))
}

// SaveProfile replaces the role profile.
func (s *Store) SaveProfile(ctx context.Context, p planner.RoleProfile) error {
	return s.save(ctx, "save role profile", []byte(keyProfile), p)
}

// Settings returns the stored settings, or planner.DefaultSettings when none are stored.
func (s *Store) Settings(ctx context.Context) (planner.Settings, error) {
	st, err := load[planner.Settings](ctx, s, "load settings", []byte(keySettings))
	if errors.Is(err, planner.ErrNotFound) {
		return planner.DefaultSettings(), nil
	}
	return st, err
}

// SaveSettings replaces the settings.
func (s *Store) SaveSettings(ctx context.Context, st planner.Settings) error {
	return s.save(ctx, "save settings", []byte(keySettings), st)
}
