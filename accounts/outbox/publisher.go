package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

// Publisher sends posts through one linked account. A failure is a
// *remote.Error (or wraps one), whose Kind says what the outbox does next;
// wrapped in an *explain.Error, its Key says more precisely what to tell the
// user.
type Publisher interface {
	// Limits are how the account's network takes a post.
	Limits() Limits
	// NewKey makes the key that names a part on the network before it is
	// sent (Mastodon's Idempotency-Key, Bluesky's record key), or "" where
	// the network has none. The outbox stores it with the part before the
	// request.
	NewKey() string
	// Publish sends one part: a reply to ReplyTo when it continues a thread.
	Publish(ctx context.Context, p Part) (Remote, error)
	// Find looks on the network for a part whose request may have gone
	// through: found, it says where. Not found means it did not go out only
	// where Limits.Certain says so.
	Find(ctx context.Context, p Part) (Remote, bool, error)
}

// Limits are how a network takes a post.
type Limits struct {
	// Length is the longest part in the network's own measure
	// (planner/textrules), 0 for the network's default; URLWeight is what a
	// link counts there, 0 for the network's rule.
	Length, URLWeight int
	// Certain says that a part Find does not find did not go out: the
	// network's own record of the account's posts is read at once, or
	// sending it again cannot make a second post. X's timeline may lag
	// behind; the user decides there.
	Certain bool
	// Images are what the network takes of a post's images; zero
	// (MaxImages 0) takes planner.ImageRulesFor the network. A publisher
	// that must ask (a Mastodon instance states its own) is an ImageRuler.
	Images planner.ImageRules
}

// ImageRuler is a Publisher whose rules for images are had by asking the
// network; the outbox asks only for a post that carries images. One that
// cannot ask gives the network's defaults.
type ImageRuler interface {
	ImageRules(ctx context.Context) planner.ImageRules
}

// ImageSource gives the bytes of a stored image by its hash, an error
// wrapping planner.ErrNotFound when none is stored; the store is one.
type ImageSource interface {
	ImageData(ctx context.Context, hash string) ([]byte, error)
}

// Image is a picture as it goes out with a part: its bytes fitted to the
// network's limits, and what describes it.
type Image struct {
	Data          []byte
	Type          string // planner.ImageJPEG, ImagePNG or ImageGIF
	Alt           string
	Width, Height int
}

// Part is one part of a post as it goes to one account.
type Part struct {
	Index    int    // 0-based, in the thread
	Text     string // as it goes out
	Language string // ISO 639-1, as "fi"
	// Key is the part's key from NewKey, the same on every try.
	Key string
	// ReplyTo is the part before, Root the thread's first part; both nil
	// for the first part.
	ReplyTo, Root *Remote
	// Since is when the part was first sent, less a margin for clocks that
	// differ: Find looks no further back.
	Since time.Time
	// Images go with the part, in order. Uploading them again is harmless
	// (an upload is not a post), so Publish uploads them on every try.
	Images []Image
}

// Remote is a part as the network has it.
type Remote struct {
	ID  string // the network's ID of it
	CID string // Bluesky's content ID, for replies
	URL string // where people see it
	At  time.Time
}

// Publishers gives the publisher of a linked account.
type Publishers interface {
	// Publisher returns the publisher of an account. An account that must
	// be linked again (its keys are gone or damaged, its link has ended)
	// gives an error wrapping ErrRelink, whose *explain.Error says why; keys
	// the keyring cannot give now, one wrapping ErrKeyring.
	Publisher(ctx context.Context, acc planner.Account) (Publisher, error)
}

// The errors of Publishers.Publisher the outbox waits on.
var (
	ErrRelink  = errors.New("the account must be linked again")
	ErrKeyring = errors.New("the account's keys cannot be read now")
)
