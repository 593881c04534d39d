package cmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// The user's decisions about a post that failed or needs attention, made
// with the outbox's own functions, as the composer's buttons make them.

func cmdPostRetry(e *env, args []string) error {
	fs := newFlags("post retry")
	id, err := postID(fs, args)
	if err != nil {
		return err
	}
	p, err := decide(e, id, (*accounts.Outbox).Retry)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tr("cli.post_retried", "Scheduled again for {{.Time}}: the open app or the next publish-due sends it.",
		map[string]any{"Time": p.Time.In(e.loc).Format("2006-01-02 15:04")}))
	return nil
}

func cmdPostConfirm(e *env, args []string) error {
	fs := newFlags("post confirm")
	postURL := fs.String("url", "", "where the post is, an https:// address")
	id, err := postID(fs, args)
	if err != nil {
		return err
	}
	if _, err := decide(e, id, func(o *accounts.Outbox, ctx context.Context, id string) (planner.Post, error) {
		return o.ConfirmPublished(ctx, id, strings.TrimSpace(*postURL))
	}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tr("cli.post_confirmed", "Marked published."))
	return nil
}

func cmdPostSkip(e *env, args []string) error {
	fs := newFlags("post skip")
	id, err := postID(fs, args)
	if err != nil {
		return err
	}
	if _, err := decide(e, id, (*accounts.Outbox).Skip); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tr("cli.post_skipped", "Skipped: the post is a draft again and does not go out unless you schedule it."))
	return nil
}

// postID reads a command's one post ID and its flags, in either order.
func postID(fs *flag.FlagSet, args []string) (string, error) {
	id := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", usageError{"kaiku " + fs.Name() + ": " + tr("help.see_usage", "see 'kaiku help'")}
	}
	rest := fs.Args()
	if id == "" && len(rest) > 0 {
		id, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return "", usagef("error.extra_args", "unexpected arguments: {{.Args}}", map[string]any{"Args": strings.Join(rest, " ")})
	}
	if id == "" {
		return "", usagef("error.post_id", "give the ID of one post; 'kaiku post list' shows them")
	}
	return id, nil
}

// decide makes one of the outbox's decisions about post id and explains
// why it could not be made.
func decide(e *env, id string, decision func(*accounts.Outbox, context.Context, string) (planner.Post, error)) (planner.Post, error) {
	m, err := newManager(e)
	if err != nil {
		return planner.Post{}, err
	}
	p, err := decision(newOutbox(m), e.ctx, id)
	var ae *accounts.Error
	switch {
	case err == nil:
		e.log.WithField("post", p.ID).WithField("status", p.Status).Info("post decided")
		return p, nil
	case errors.Is(err, planner.ErrNotFound):
		return p, userErrorf(err, "error.no_post", "there is no post {{.ID}}; 'kaiku post list' shows them", map[string]any{"ID": id})
	case errors.Is(err, planner.ErrConflict) && errors.As(err, &ae):
		// Only a post that failed or needs attention waits for a decision.
		status := "?"
		if stored, serr := e.store.Post(e.ctx, id); serr == nil {
			status = tr("status."+string(stored.Status), string(stored.Status))
		}
		return p, userErrorf(err, "error.post_not_waiting", "post {{.ID}} is {{.Status}}: only a post that failed or needs attention can be published again, marked published or skipped",
			map[string]any{"ID": id, "Status": status})
	}
	return p, accountError(err)
}
