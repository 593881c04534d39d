package outbox

import (
	"context"

	"github.com/kaiku-app/kaiku/accounts/explain"
)

// recover settles an attempt that was interrupted (the post is still
// publishing) or whose look could not tell (needs-attention with its
// attempt): each pending part is looked for on the network first, then
// what is left goes out. A part that cannot be found where the network's
// answer is not certain waits for the user.
func (o *Outbox) recover(ctx context.Context, r *round, id string) (Outcome, error) {
	p, err := o.store.Post(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	if r.mode.dry {
		return Outcome{PostID: p.ID, Action: ActionCheck, Status: p.Status, Key: explain.ActionPrefix + string(ActionCheck)}, nil
	}
	return o.publish(ctx, r, &p, ActionCheck)
}
