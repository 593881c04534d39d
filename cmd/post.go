package cmd

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

func cmdPostAdd(e *env, args []string) error {
	fs := newFlags("post add")
	at := fs.String("at", "", "date and time, 2026-12-01T09:00, or now: at the next publishing run")
	var texts, networks, accountIDs multiFlag
	fs.Var(&texts, "text", "the text; give it several times for a thread")
	fs.Var(&networks, "network", "a network to post to by hand: x, mastodon, bluesky, linkedin")
	fs.Var(&accountIDs, "account", "a linked account to publish through; 'kaiku accounts list' shows them")
	status := fs.String("status", string(planner.StatusDraft), "idea, draft or scheduled")
	purpose := fs.String("purpose", "", "write, share, converse or follow")
	role := fs.String("role", "", "the role the post speaks in")
	goal := fs.String("goal", "", "the ID of the goal the post serves")
	images := imageFlag{texts: &texts}
	var alts multiFlag
	fs.Var(&images, "image", "an image (JPEG, PNG, GIF or WebP); in a thread it goes with the --text before it")
	fs.Var(&alts, "alt", "the alt text of the --image of the same number")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(texts) == 0 && len(images.files) == 0 {
		return usagef("error.text_required", "--text is required")
	}
	now := e.now()
	p := planner.Post{ID: planner.NewID(), Created: now, Updated: now, GoalID: *goal}
	var err error
	if p.Status, err = planner.ParseStatus(*status); err != nil {
		return err
	}
	if !planner.CanStartAs(p.Status) {
		return usagef("error.add_status", "a new post is an idea, a draft or scheduled")
	}
	if len(texts) <= 1 {
		p.Text = strings.Join(texts, "")
	} else {
		p.Parts = texts
	}
	var note *planner.TimeNote
	if *at == "now" {
		p.Time = now
	} else if *at != "" {
		if p.Time, note, err = parseDateTime(*at, e.loc); err != nil {
			return err
		}
	}
	if *purpose != "" {
		if p.Purpose, err = planner.ParsePurpose(*purpose); err != nil {
			return err
		}
	}
	if *role != "" {
		if p.Role, err = planner.ParseRole(*role); err != nil {
			return err
		}
	}
	for _, n := range networks {
		nw, err := planner.ParseNetwork(n)
		if err != nil {
			return err
		}
		p.Targets = append(p.Targets, planner.Target{Network: nw})
	}
	for _, id := range accountIDs {
		acc, err := e.store.Account(e.ctx, id)
		if err != nil {
			return userErrorf(err, "error.no_account", "there is no account {{.ID}}; 'kaiku accounts list' shows them", map[string]any{"ID": id})
		}
		p.Targets = append(p.Targets, planner.Target{AccountID: acc.ID, Network: acc.Network})
	}
	var data [][]byte
	if p.Images, data, err = attachImages(images.files, alts); err != nil {
		return err
	}
	// The images are stored before the post that names them: the post is
	// checked first, so that a refused post leaves no image behind.
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Status == planner.StatusScheduled && p.Time.Before(now) {
		return userErrorf(nil, "error.schedule_past", "{{.Time}} has passed: give a later --at, or --at now to publish at the next run", map[string]any{"Time": p.Time.In(e.loc).Format("2006-01-02 15:04")})
	}
	for _, d := range data {
		if _, err := e.store.SaveImage(e.ctx, d); err != nil {
			return err
		}
	}
	if err := e.store.SavePost(e.ctx, p); err != nil {
		return err
	}
	e.log.WithField("post", p.ID).Info("post added")
	tellTime(e, note)
	fmt.Fprintln(e.stdout, p.ID)
	return nil
}

// postJSON is a post as `post list --json` prints it: times in the user's zone.
type postJSON struct {
	ID       string           `json:"id"`
	Text     string           `json:"text"`
	Parts    []string         `json:"parts,omitempty"`
	Time     string           `json:"time,omitempty"`
	Status   planner.Status   `json:"status"`
	Purpose  planner.Purpose  `json:"purpose,omitempty"`
	Role     planner.Role     `json:"role,omitempty"`
	GoalID   string           `json:"goal_id,omitempty"`
	Targets  []planner.Target `json:"targets,omitempty"`
	Created  string           `json:"created"`
	Updated  string           `json:"updated"`
	URLs     []string         `json:"urls,omitempty"`
	LastErr  string           `json:"last_error,omitempty"`
	Occasion string           `json:"occurrence_id,omitempty"`
	// LinkEnded lists the post's accounts whose link will have ended when
	// it is due (LinkedIn's last 60 days): link them again first.
	LinkEnded []string        `json:"link_ended,omitempty"`
	Images    []planner.Image `json:"images,omitempty"`
}

func toJSON(p planner.Post, loc *time.Location) postJSON {
	j := postJSON{
		ID: p.ID, Text: strings.Join(p.Texts(), "\n\n"), Parts: p.Parts, Status: p.Status,
		Purpose: p.Purpose, Role: p.Role, GoalID: p.GoalID, Targets: p.Targets,
		Created: p.Created.In(loc).Format(time.RFC3339), Updated: p.Updated.In(loc).Format(time.RFC3339),
		LastErr: p.LastError, Occasion: p.OccurrenceID, Images: p.Images,
	}
	if !p.Time.IsZero() {
		j.Time = p.Time.In(loc).Format(time.RFC3339)
	}
	for _, r := range p.Results {
		if r.URL != "" {
			j.URLs = append(j.URLs, r.URL)
		}
	}
	return j
}

func cmdPostList(e *env, args []string) error {
	fs := newFlags("post list")
	from := fs.String("from", "", "first date, 2026-12-01")
	to := fs.String("to", "", "last date, 2026-12-07")
	asJSON := fs.Bool("json", false, "print JSON")
	status := fs.String("status", "", "only posts in this status: idea, draft, scheduled, publishing, published, failed, needs-attention")
	search := fs.String("search", "", "only posts whose text contains this, ignoring case")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	q := planner.PostQuery{Search: *search}
	if *status != "" {
		st, err := planner.ParseStatus(*status)
		if err != nil {
			return err
		}
		q.Statuses = []planner.Status{st}
	}
	start, end := planner.MinPostTime, planner.MaxPostTime
	var err error
	if *from != "" {
		if start, err = parseDate(*from, e.loc); err != nil {
			return err
		}
	}
	if *to != "" {
		if end, err = parseDate(*to, e.loc); err != nil {
			return err
		}
		end = end.AddDate(0, 0, 1) // --to names the last day, inclusive
	}
	if !end.After(start) {
		return userErrorf(nil, "error.range", "--to is before --from")
	}
	posts, err := e.store.PostsBetween(e.ctx, start, end)
	if err != nil {
		return err
	}
	if *from == "" && *to == "" {
		undated, err := e.store.UndatedPosts(e.ctx)
		if err != nil {
			return err
		}
		posts = append(posts, undated...)
	}
	posts = slices.DeleteFunc(posts, func(p planner.Post) bool { return !q.Match(p) })
	accs, err := e.store.Accounts(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]postJSON, 0, len(posts))
		for _, p := range posts {
			j := toJSON(p, e.loc)
			for _, a := range planner.LinksEndedWhenDue(p, accs) {
				j.LinkEnded = append(j.LinkEnded, a.ID)
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(posts) == 0 {
		fmt.Fprintln(e.stdout, tr("cli.no_posts", "No posts."))
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", tr("cli.col.time", "TIME"), tr("cli.col.status", "STATUS"), tr("cli.col.id", "ID"), tr("cli.col.text", "TEXT"))
	for _, p := range posts {
		when := "-"
		if !p.Time.IsZero() {
			when = p.Time.In(e.loc).Format("2006-01-02 15:04")
		}
		text := termSafe(ellipsis(p.FirstLine(), 60))
		for _, a := range planner.LinksEndedWhenDue(p, accs) {
			text += "  " + tr("cli.post_link_ended", "(due after the {{.Network}} link ends: link it again)", map[string]any{"Network": a.Network.DisplayName()})
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", when, planner.StatusName(p.Status, tr), termSafe(p.ID), text)
	}
	return w.Flush()
}

// ellipsis shortens s to at most n runes.
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func cmdPostDelete(e *env, args []string) error {
	fs := newFlags("post delete")
	yes := fs.Bool("yes", false, "delete a published post from Kaiku (it stays on the network)")
	id, err := postID(fs, args)
	if err != nil {
		return err
	}
	p, err := e.store.Post(e.ctx, id)
	if err != nil {
		return err
	}
	if p.Status == planner.StatusPublished && !*yes {
		return userErrorf(nil, "error.delete_published", "the post is published: deleting it removes it from Kaiku only, not from the network; add --yes to do so")
	}
	if _, err := planner.DeletePost(e.ctx, e.store, id); err != nil {
		return err
	}
	e.log.WithField("post", id).Info("post deleted")
	fmt.Fprintln(e.stdout, tr("cli.post_deleted", "Deleted."))
	return nil
}
