package cmd

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/kaiku-app/kaiku/accounts"
	"github.com/kaiku-app/kaiku/planner"
)

// accountError turns the accounts package's errors into the user's language.
func accountError(err error) error {
	var ae *accounts.Error
	if errors.As(err, &ae) {
		msg := tr(ae.Key, accounts.Message(ae.Key))
		if ae.Detail != "" {
			msg += " (" + ae.Detail + ")"
		}
		return userError{msg: msg, cause: err}
	}
	return err
}

func newManager(e *env) (*accounts.Manager, error) {
	m, err := accounts.New(accounts.Options{Store: e.store, DataDir: e.dataDir, Logger: e.log})
	return m, accountError(err)
}

func cmdAccountsLink(e *env, args []string) error {
	if len(args) == 0 || args[0] != "x" {
		return usagef("error.link_network", "Kaiku links X accounts: kaiku accounts link x")
	}
	fs := newFlags("accounts link x")
	apiBase := fs.String("api-base", "", "an X-compatible API's address; default X's own")
	key := fs.String("consumer-key", "", "your X app's API key (or KAIKU_X_CONSUMER_KEY)")
	// Known only to be refused: every user of the computer can read a
	// process's arguments (/proc/PID/cmdline, ps).
	fs.String("consumer-secret", "", "refused; use KAIKU_X_CONSUMER_SECRET or standard input")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	secretGiven := false
	fs.Visit(func(f *flag.Flag) { secretGiven = secretGiven || f.Name == "consumer-secret" })
	if secretGiven {
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
		fmt.Fprint(e.stderr, tr("cli.link.secret", "API key secret: "))
		line, _ := in.ReadString('\n')
		secret = strings.TrimSpace(line)
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
	fmt.Fprintln(e.stdout, tr("accounts.linked_as", accounts.Message("accounts.linked_as"), map[string]any{"Handle": acc.DisplayHandle()}))
	return nil
}

// accountJSON is an account as `accounts list --json` prints it.
type accountJSON struct {
	ID      string `json:"id"`
	Network string `json:"network"`
	Handle  string `json:"handle"`
	Status  string `json:"status"`
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
		out = append(out, accountJSON{ID: a.ID, Network: string(a.Network), Handle: a.Handle, Status: string(a.Status), APIBase: a.APIBase})
	}
	if *asJSON {
		return writeJSON(e.stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, tr("cli.no_accounts", "No linked accounts. Link one with 'kaiku accounts link x'."))
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", tr("cli.col.id", "ID"), tr("cli.col.network", "NETWORK"), tr("cli.col.handle", "HANDLE"), tr("cli.col.status", "STATUS"))
	for _, a := range out {
		fmt.Fprintf(w, "%s\t%s\t@%s\t%s\n", a.ID, a.Network, a.Handle, tr("account.status."+a.Status, a.Status))
	}
	if err := w.Flush(); err != nil {
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
	if _, err := m.Unlink(e.ctx, id); err != nil {
		if errors.Is(err, planner.ErrNotFound) {
			return userErrorf(err, "error.no_account", "there is no account {{.ID}}; 'kaiku accounts list' shows them", map[string]any{"ID": id})
		}
		return accountError(err)
	}
	fmt.Fprintln(e.stdout, tr("cli.unlinked", "Unlinked; its keys are gone from this computer."))
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
	ob := m.NewOutbox(accounts.OutboxOptions{})
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
			names = append(names, "@"+a.Handle)
		}
	}
	return statusError{status: exitRelink, msg: tr("error.publish_relink", "posts wait until {{.Accounts}} is linked again: run 'kaiku accounts link x'",
		map[string]any{"Accounts": strings.Join(names, ", ")})}
}
