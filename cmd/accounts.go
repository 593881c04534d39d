package cmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/assets"
	"github.com/kaiku-app/kaiku/planner"
)

// accountError turns the accounts package's errors into the user's language.
func accountError(err error) error {
	var ae *accounts.Error
	if errors.As(err, &ae) {
		msg := tr(ae.Key, accounts.Message(ae.Key))
		if ae.Detail != "" {
			msg += " (" + termSafe(ae.Detail) + ")"
		}
		return userError{msg: msg, cause: err}
	}
	return err
}

func newManager(e *env) (*accounts.Manager, error) {
	m, err := accounts.New(accounts.Options{Store: e.store, DataDir: e.dataDir, Logger: e.log})
	return m, accountError(err)
}

// newOutbox is the outbox of the command line: posts go out in the
// settings' language, else the one Kaiku speaks.
func newOutbox(m *accounts.Manager) *accounts.Outbox {
	return m.NewOutbox(accounts.OutboxOptions{Language: assets.Current()})
}

// browserWait is how long a link waits for the browser to come back.
const browserWait = 15 * time.Minute

func cmdAccountsLink(e *env, args []string) error {
	network := ""
	if len(args) > 0 {
		network = args[0]
	}
	switch network {
	case "x":
		return linkX(e, args[1:])
	case "mastodon":
		return linkMastodon(e, args[1:])
	case "bluesky":
		return linkBluesky(e, args[1:])
	case "linkedin":
		return linkLinkedIn(e, args[1:])
	}
	return usagef("error.link_network", "name the network: kaiku accounts link x|mastodon|bluesky|linkedin")
}

// readLine asks for a line on standard input, the prompt on stderr.
func readLine(e *env, in *bufio.Reader, promptKey, prompt string) string {
	fmt.Fprint(e.stderr, tr(promptKey, prompt))
	line, _ := in.ReadString('\n')
	return strings.TrimSpace(line)
}

// linked tells who was linked.
func linked(e *env, acc planner.Account) error {
	fmt.Fprintln(e.stdout, tr("accounts.linked_as", accounts.Message("accounts.linked_as"), map[string]any{"Handle": termSafe(acc.DisplayHandle())}))
	return nil
}

// openAndWait prints the address of a link for the user to open, on its
// own line, and waits for the browser to come back, at most browserWait.
func openAndWait(e *env, l *accounts.OAuthLink) error {
	fmt.Fprintln(e.stderr, tr("cli.link.open_wait", "Open this address and allow Kaiku; Kaiku waits for the browser to come back:"))
	fmt.Fprintln(e.stdout, l.AuthorizeURL())
	ctx, cancel := context.WithTimeout(e.ctx, browserWait)
	defer cancel()
	acc, err := l.Wait(ctx)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return userErrorf(err, "error.link_no_browser", "the browser did not come back to Kaiku in {{.Minutes}} minutes; run the command again", map[string]any{"Minutes": int(browserWait / time.Minute)})
	case errors.Is(err, context.Canceled):
		return userErrorf(err, "error.link_cancelled", "linking was cancelled")
	case err != nil:
		return accountError(err)
	}
	return linked(e, acc)
}

func linkX(e *env, args []string) error {
	fs := newFlags("accounts link x")
	apiBase := fs.String("api-base", "", "an X-compatible API's address; default X's own")
	key := fs.String("consumer-key", "", "your X app's API key (or KAIKU_X_CONSUMER_KEY)")
	// Known only to be refused: every user of the computer can read a
	// process's arguments (/proc/PID/cmdline, ps).
	fs.String("consumer-secret", "", "refused; use KAIKU_X_CONSUMER_SECRET or standard input")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if flagGiven(fs, "consumer-secret") {
		return usagef("error.secret_flag", "--consumer-secret would show the secret to every user of this computer; set KAIKU_X_CONSUMER_SECRET, or leave it out and type the secret when asked")
	}
	if *key == "" {
		*key = os.Getenv("KAIKU_X_CONSUMER_KEY")
	}
	if *key == "" {
		return usagef("link.error.keys_required", accounts.Message("link.error.keys_required"))
	}
	in := bufio.NewReader(e.stdin)
	secret := os.Getenv("KAIKU_X_CONSUMER_SECRET")
	if secret == "" {
		secret = readLine(e, in, "cli.link.secret", "API key secret: ")
	}
	if secret == "" {
		return usagef("link.error.keys_required", accounts.Message("link.error.keys_required"))
	}
	m, err := newManager(e)
	if err != nil {
		return err
	}
	l, err := m.LinkX(e.ctx, accounts.LinkOptions{ConsumerKey: *key, ConsumerSecret: secret, APIBase: *apiBase})
	if err != nil {
		return accountError(err)
	}
	defer l.Close()
	fmt.Fprintln(e.stderr, tr("cli.link.open", "Open this address, allow Kaiku, then type the PIN X shows you:"))
	fmt.Fprintln(e.stdout, l.AuthorizeURL())
	fmt.Fprint(e.stderr, tr("cli.link.pin", "PIN: "))
	pin, err := in.ReadString('\n')
	if err != nil && strings.TrimSpace(pin) == "" {
		return userErrorf(err, "error.no_pin", "no PIN was given; run the command again and type the PIN")
	}
	acc, err := l.Finish(e.ctx, pin)
	if err != nil {
		return accountError(err)
	}
	return linked(e, acc)
}

func linkMastodon(e *env, args []string) error {
	fs := newFlags("accounts link mastodon")
	instance := fs.String("instance", "", "your Mastodon server, as mastodon.social")
	oob := fs.Bool("oob", false, "type in the code the server shows, instead of the browser coming back to Kaiku")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*instance) == "" {
		return usagef("error.instance_required", "--instance is required: your Mastodon server's address, as mastodon.social")
	}
	m, err := newManager(e)
	if err != nil {
		return err
	}
	l, err := m.LinkMastodon(e.ctx, accounts.MastodonOptions{Instance: *instance, OOB: *oob, Translate: translate})
	if err != nil {
		return accountError(err)
	}
	defer l.Close()
	if *oob {
		fmt.Fprintln(e.stderr, tr("cli.link.open_code", "Open this address, allow Kaiku, then type the code the server shows you:"))
		fmt.Fprintln(e.stdout, l.AuthorizeURL())
		code := readLine(e, bufio.NewReader(e.stdin), "cli.link.code", "Code: ")
		if code == "" {
			return userErrorf(nil, "error.no_code", "no code was given; run the command again and type the code")
		}
		acc, err := l.Finish(e.ctx, code)
		if err != nil {
			return accountError(err)
		}
		return linked(e, acc)
	}
	return openAndWait(e, l)
}

func linkBluesky(e *env, args []string) error {
	fs := newFlags("accounts link bluesky")
	service := fs.String("service", "", "where to sign in; default Bluesky, which finds your account's own server")
	handle := fs.String("handle", "", "your handle, as name.bsky.social")
	fs.String("app-password", "", "refused; type the app password on standard input")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if flagGiven(fs, "app-password") {
		return usagef("error.password_flag", "--app-password would show the password to every user of this computer; leave it out and type it when asked")
	}
	if strings.TrimSpace(*handle) == "" {
		return usagef("link.error.handle.bluesky", accounts.Message("link.error.handle.bluesky"))
	}
	password := readLine(e, bufio.NewReader(e.stdin), "cli.link.app_password", "App password: ")
	if password == "" {
		return usagef("link.error.handle.bluesky", accounts.Message("link.error.handle.bluesky"))
	}
	m, err := newManager(e)
	if err != nil {
		return err
	}
	acc, err := m.LinkBluesky(e.ctx, accounts.BlueskyOptions{Service: *service, Handle: *handle, AppPassword: password})
	if err != nil {
		return accountError(err)
	}
	return linked(e, acc)
}

func linkLinkedIn(e *env, args []string) error {
	fs := newFlags("accounts link linkedin")
	port := fs.Int("port", 47812, "where Kaiku waits for the browser: register http://127.0.0.1:PORT/callback in your LinkedIn app")
	apiBase := fs.String("api-base", "", "an address that stands in for both of LinkedIn's hosts (tests)")
	clientID := fs.String("client-id", "", "your LinkedIn app's client ID (or KAIKU_LINKEDIN_CLIENT_ID)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *port < 1 || *port > 65535 {
		return usagef("error.port", "--port is a port number from 1 to 65535")
	}
	if *clientID == "" {
		*clientID = os.Getenv("KAIKU_LINKEDIN_CLIENT_ID")
	}
	if *clientID == "" {
		return usagef("link.error.keys_required.linkedin", accounts.Message("link.error.keys_required.linkedin"))
	}
	secret := os.Getenv("KAIKU_LINKEDIN_CLIENT_SECRET")
	if secret == "" {
		secret = readLine(e, bufio.NewReader(e.stdin), "cli.link.client_secret", "Client secret: ")
	}
	if secret == "" {
		return usagef("link.error.keys_required.linkedin", accounts.Message("link.error.keys_required.linkedin"))
	}
	m, err := newManager(e)
	if err != nil {
		return err
	}
	l, err := m.LinkLinkedIn(e.ctx, accounts.LinkedInOptions{ClientID: *clientID, ClientSecret: secret, Port: *port, APIBase: *apiBase, Translate: translate})
	if err != nil {
		return accountError(err)
	}
	defer l.Close()
	return openAndWait(e, l)
}

// translate is tr for the accounts package's loopback pages.
func translate(key, fallback string) string { return tr(key, fallback) }

// flagGiven reports whether the flag was on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// accountJSON is an account as `accounts list --json` prints it.
type accountJSON struct {
	ID      string `json:"id"`
	Network string `json:"network"`
	Handle  string `json:"handle"`
	Status  string `json:"status"`
	// Expires is when the link ends (LinkedIn), in the user's zone.
	Expires string `json:"expires,omitempty"`
	APIBase string `json:"api_base,omitempty"`
}

func cmdAccountsList(e *env, args []string) error {
	fs := newFlags("accounts list")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	list, err := e.store.Accounts(e.ctx)
	if err != nil {
		return err
	}
	out := make([]accountJSON, 0, len(list))
	for _, a := range list {
		j := accountJSON{ID: a.ID, Network: string(a.Network), Handle: a.Handle, Status: string(a.Status), APIBase: a.APIBase}
		if !a.Expires.IsZero() {
			j.Expires = a.Expires.In(e.loc).Format(time.RFC3339)
		}
		out = append(out, j)
	}
	if *asJSON {
		return writeJSON(e.stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, tr("cli.no_accounts", "No linked accounts. Link one with 'kaiku accounts link x|mastodon|bluesky|linkedin'."))
		return nil
	}
	now := e.now()
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", tr("cli.col.id", "ID"), tr("cli.col.network", "NETWORK"), tr("cli.col.handle", "HANDLE"),
		tr("cli.col.status", "STATUS"), tr("cli.col.expires", "LINK ENDS"))
	for _, a := range list {
		ends := "-"
		if !a.Expires.IsZero() {
			ends = a.Expires.In(e.loc).Format("2006-01-02") + " " + tr("cli.days_left", "({{.Days}} days left)", map[string]any{"Days": a.LinkDaysLeft(now)})
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Network.DisplayName(), termSafe(a.DisplayHandle()), tr("account.status."+string(a.Status), string(a.Status)), ends)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := listLinkWarnings(e, list, now); err != nil {
		return err
	}
	if m, err := newManager(e); err == nil {
		path, inUse := m.SecretsFile()
		switch {
		case m.SecretsDamaged():
			fmt.Fprintln(e.stdout, tr("accounts.secrets.damaged", accounts.Message("accounts.secrets.damaged"), map[string]any{"Path": path}))
		case inUse:
			fmt.Fprintln(e.stdout, tr("accounts.secrets.file", accounts.Message("accounts.secrets.file"), map[string]any{"Path": path}))
		}
	}
	return nil
}

// listLinkWarnings says which links end within a week, or have ended, and
// which scheduled posts are due after their account's link ends.
func listLinkWarnings(e *env, list []planner.Account, now time.Time) error {
	for _, a := range list {
		data := map[string]any{"Account": termSafe(a.DisplayHandle()), "Network": a.Network.DisplayName(), "Date": a.Expires.In(e.loc).Format("2006-01-02")}
		switch {
		case a.LinkEnded(now):
			fmt.Fprintln(e.stdout, tr("cli.link_ended", "The {{.Network}} link of {{.Account}} ended on {{.Date}}: link the account again.", data))
		case a.LinkEndsSoon(now):
			fmt.Fprintln(e.stdout, tr("cli.link_ends_soon", "The {{.Network}} link of {{.Account}} ends on {{.Date}}: link the account again before then.", data))
		}
	}
	due, err := e.store.PostsWithStatus(e.ctx, planner.StatusScheduled)
	if err != nil {
		return err
	}
	for _, p := range due {
		for _, a := range planner.LinksEndedWhenDue(p, list) {
			fmt.Fprintln(e.stdout, tr("cli.post_after_link", "Post {{.Post}} is due after the {{.Network}} link of {{.Account}} ends: link the account again first.",
				map[string]any{"Post": p.ID, "Network": a.Network.DisplayName(), "Account": termSafe(a.DisplayHandle())}))
		}
	}
	return nil
}

func cmdAccountsUnlink(e *env, args []string) error {
	fs := newFlags("accounts unlink")
	if err := fs.Parse(args); err != nil {
		return usageError{"kaiku accounts unlink: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("error.account_id", "give the ID of one account; 'kaiku accounts list' shows them")
	}
	m, err := newManager(e)
	if err != nil {
		return err
	}
	id := fs.Arg(0)
	acc, _ := e.store.Account(e.ctx, id)
	revoked, err := m.Unlink(e.ctx, id)
	if err != nil {
		if errors.Is(err, planner.ErrNotFound) {
			return userErrorf(err, "error.no_account", "there is no account {{.ID}}; 'kaiku accounts list' shows them", map[string]any{"ID": id})
		}
		return accountError(err)
	}
	fmt.Fprintln(e.stdout, tr("cli.unlinked", "Unlinked; its keys are gone from this computer."))
	if acc.Network == planner.NetworkMastodon && !revoked {
		fmt.Fprintln(e.stdout, tr("accounts.not_revoked.mastodon", accounts.Message("accounts.not_revoked.mastodon")))
	}
	return nil
}

func cmdPublishDue(e *env, args []string) error {
	fs := newFlags("publish-due")
	dry := fs.Bool("dry-run", false, "say what would be done, change nothing")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := newManager(e)
	if err != nil {
		return err
	}
	ob := newOutbox(m)
	run := ob.RunDue
	if *dry {
		run = ob.DryRun
	}
	sum, err := run(e.ctx)
	if err != nil {
		return accountError(err)
	}
	if *asJSON {
		if err := writeJSON(e.stdout, sum); err != nil {
			return err
		}
	} else {
		for _, o := range sum.Posts {
			line := fmt.Sprintf("%s  %s  %s", o.PostID, tr("status."+string(o.Status), string(o.Status)), tr(o.Key, accounts.Message(o.Key)))
			if len(o.URLs) > 0 {
				line += "  " + strings.Join(o.URLs, " ")
			}
			fmt.Fprintln(e.stdout, line)
		}
		fmt.Fprintln(e.stdout, tr("cli.publish_summary", "{{.Published}} published, {{.Failed}} failed, {{.Attention}} need attention, {{.Waiting}} waiting, {{.Manual}} to post by hand.",
			map[string]any{"Published": sum.Published, "Failed": sum.Failed, "Attention": sum.NeedsAttention, "Waiting": sum.Waiting, "Manual": sum.Manual}))
	}
	if *dry {
		return nil
	}
	if sum.Relink > 0 {
		return relinkError(e)
	}
	if sum.Failed+sum.NeedsAttention > 0 {
		return userErrorf(nil, "error.publish_problems", "some posts did not go out; open Kaiku or 'kaiku post list' to see why")
	}
	return nil
}

// exitRelink is publish-due's exit status when posts wait for an account to
// be linked again: a scheduler reports it, and a script can tell it from a
// post that failed (1).
const exitRelink = 3

// statusError is a problem the user can fix that has an exit status of its own.
type statusError struct {
	msg    string
	status int
}

func (e statusError) Error() string { return e.msg }

// relinkError names the accounts whose posts wait for a new link.
func relinkError(e *env) error {
	list, err := e.store.Accounts(e.ctx)
	if err != nil {
		return err
	}
	var names []string
	for _, a := range list {
		if a.Status == planner.AccountNeedsRelink {
			names = append(names, termSafe(a.DisplayHandle())+" ('"+termSafe(linkCommand(a))+"')")
		}
	}
	return statusError{status: exitRelink, msg: tr("error.publish_relink", "posts wait until these accounts are linked again: {{.Accounts}}",
		map[string]any{"Accounts": strings.Join(names, ", ")})}
}

// linkCommand is the command that links the account again.
func linkCommand(a planner.Account) string {
	switch a.Network {
	case planner.NetworkMastodon:
		return "kaiku accounts link mastodon --instance " + a.APIBase
	case planner.NetworkBluesky:
		if a.APIBase != "" {
			return "kaiku accounts link bluesky --service " + a.APIBase + " --handle " + a.Handle
		}
		return "kaiku accounts link bluesky --handle " + a.Handle
	}
	return "kaiku accounts link " + string(a.Network)
}
