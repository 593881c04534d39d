package planner

import (
	"context"
	"time"
)

// Store is what the planner needs from persistent storage. The contract, for
// every implementation:
//   - A Save stores the value whole after checking it with Validate (an
//     invalid value wraps ErrInvalid and nothing is written). When Save
//     returns nil the change is durable: it survives a crash of the process.
//   - A read of something missing returns an error that wraps ErrNotFound.
//   - Errors say what was being done ("load post 123: …").
//   - Methods are safe to call from several goroutines.
type Store interface {
	PostStore
	PlanStore
	GoalStore
	AccountStore
	CalendarStore
	OrgKitStore
	ImageStore
	// Profile returns the role profile; ErrNotFound before the first is saved.
	Profile(ctx context.Context) (RoleProfile, error)
	SaveProfile(ctx context.Context, p RoleProfile) error
	// Settings returns the stored settings, or DefaultSettings when none are stored.
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error
}

// PostStore keeps posts and the indexes that find them by time and status.
type PostStore interface {
	// SavePost creates or replaces the post; its time and status indexes,
	// and the counts of the posts naming each image, change in the same
	// transaction. The images it names must be stored (SaveImage) first;
	// a post naming one that is not is refused (ErrInvalid).
	SavePost(ctx context.Context, p Post) error
	// UpdatePost reads the post, lets change edit it and saves the result,
	// all in one transaction, so that a change decided on what is stored
	// cannot overwrite a newer version saved meanwhile. change may run more
	// than once when another save races it. When change returns an error,
	// nothing is saved and UpdatePost returns that error as it is. change
	// must not call the store: read what it needs before, and check inside
	// that the post still matches what was read.
	UpdatePost(ctx context.Context, id string, change func(*Post) error) (Post, error)
	Post(ctx context.Context, id string) (Post, error)
	DeletePost(ctx context.Context, id string) error
	// PostsBetween returns the dated posts with from <= Time < to, by time
	// then ID. It reads only the index range, never all posts.
	PostsBetween(ctx context.Context, from, to time.Time) ([]Post, error)
	// UndatedPosts returns the posts without a time (ideas, loose drafts), newest first.
	UndatedPosts(ctx context.Context) ([]Post, error)
	// PostsWithStatus returns the posts in any of the statuses, by time then ID.
	PostsWithStatus(ctx context.Context, statuses ...Status) ([]Post, error)
}

// ImageStore keeps the images posts carry, once each however many posts
// carry them, under their ImageHash. An image no post names is removed: at
// once when the last post naming it is deleted, else after a day's grace,
// in which the post that is to name it is saved, or an edit that dropped
// it is undone.
type ImageStore interface {
	// SaveImage stores a prepared image's bytes unless they are stored, and
	// returns their hash. Save the post that carries the image after it.
	SaveImage(ctx context.Context, data []byte) (string, error)
	// ImageData returns an image's bytes; ErrNotFound when none has the hash.
	ImageData(ctx context.Context, hash string) ([]byte, error)
}

// PlanStore keeps slot plans and per-occurrence exceptions.
type PlanStore interface {
	SavePlan(ctx context.Context, p SlotPlan) error
	Plan(ctx context.Context, id string) (SlotPlan, error)
	Plans(ctx context.Context) ([]SlotPlan, error)
	DeletePlan(ctx context.Context, id string) error
	SaveException(ctx context.Context, x SlotException) error
	DeleteException(ctx context.Context, occurrenceID string) error
	Exceptions(ctx context.Context) ([]SlotException, error)
}

// GoalStore keeps the organization's goals.
type GoalStore interface {
	SaveGoal(ctx context.Context, g Goal) error
	Goal(ctx context.Context, id string) (Goal, error)
	Goals(ctx context.Context) ([]Goal, error)
	DeleteGoal(ctx context.Context, id string) error
}

// AccountStore keeps linked accounts' metadata (never their secrets).
type AccountStore interface {
	SaveAccount(ctx context.Context, a Account) error
	Account(ctx context.Context, id string) (Account, error)
	Accounts(ctx context.Context) ([]Account, error)
	DeleteAccount(ctx context.Context, id string) error
}

// FeedStore keeps the feeds the user follows and their items, with an index
// by time so that the reading list opens without reading everything. Its
// contract is Store's: Validate before writing, durable on nil, ErrNotFound
// for what is missing, safe for concurrent use.
type FeedStore interface {
	// AddFeed stores f unless a feed with the same address is stored; then
	// it returns that feed and false, and writes nothing.
	AddFeed(ctx context.Context, f Feed) (Feed, bool, error)
	// UpdateFeed reads the feed, lets change edit it and saves it in one
	// transaction, like UpdatePost.
	UpdateFeed(ctx context.Context, id string, change func(*Feed) error) (Feed, error)
	Feed(ctx context.Context, id string) (Feed, error)
	// Feeds returns every feed, by folder then title.
	Feeds(ctx context.Context) ([]Feed, error)
	// DeleteFeed removes the feed and its items, except the items kept for
	// ever (saved or shared), which stay in the reading list.
	DeleteFeed(ctx context.Context, id string) error

	// AddItems stores the feed's items that are not stored yet: an item is
	// the same as a stored one of the feed with its ID (from its GUID) or,
	// failing that, its link. A stored item keeps its read, saved and
	// shared state and its time; its title, link and summary follow the
	// feed. Items the retention would remove at now are not added. It
	// returns the items added.
	AddItems(ctx context.Context, feedID string, items []Item, now time.Time) ([]Item, error)
	Item(ctx context.Context, id string) (Item, error)
	// UpdateItem reads the item, lets change edit it (read, saved, shared)
	// and saves it in one transaction.
	UpdateItem(ctx context.Context, id string, change func(*Item) error) (Item, error)
	// Items returns the items the query picks, newest first.
	Items(ctx context.Context, q ItemQuery) ([]Item, error)
	// PruneItems removes the items the retention no longer keeps at now,
	// and returns how many.
	PruneItems(ctx context.Context, now time.Time) (int, error)
}
