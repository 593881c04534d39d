package cmd

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one of kaiku's subcommands; name may be two words ("post add").
type command struct {
	name    string
	args    string // the synopsis after the name
	help    string // translation key of the one-line description
	noStore bool   // runs without opening the data folder
	run     func(e *env, args []string) error
}

// commands lists the subcommands in the order help shows them.
var commands = []command{
	{name: "post add", args: "--at 2026-12-01T09:00 --text TEXT [--status idea|draft|scheduled] [--network x] [--account ID] [--purpose write|share|converse|follow] [--role ROLE]", help: "help.post_add", run: cmdPostAdd},
	{name: "post list", args: "[--from 2026-12-01] [--to 2026-12-07] [--json]", help: "help.post_list", run: cmdPostList},
	{name: "plan", args: "[--week 2026-W49] [--json]", help: "help.plan", run: cmdPlan},
	{name: "plan slots", args: "[--json]", help: "help.plan_slots", run: cmdPlanSlots},
	{name: "plan add-slot", args: "--day mon --time 09:00 --minutes 30 --purpose share [--role ROLE]", help: "help.plan_add_slot", run: cmdPlanAddSlot},
	{name: "plan remove-slot", args: "ID", help: "help.plan_remove_slot", run: cmdPlanRemoveSlot},
	{name: "role questions", args: "[--json]", help: "help.role_questions", run: cmdRoleQuestions, noStore: true},
	{name: "count", args: "--network x|mastodon|bluesky|linkedin [--limit N] [--json] < TEXT", help: "help.count", run: cmdCount, noStore: true},
	{name: "export-ics", args: "[--from 2026-12-01] [--weeks 4] [--recurring] [-o FILE|-]", help: "help.export_ics", run: cmdExportICS},
	{name: "accounts link", args: "x [--api-base URL] [--consumer-key KEY]   (the key's secret: KAIKU_X_CONSUMER_SECRET, or typed when asked)", help: "help.accounts_link", run: cmdAccountsLink},
	{name: "accounts list", args: "[--json]", help: "help.accounts_list", run: cmdAccountsList},
	{name: "accounts unlink", args: "ID", help: "help.accounts_unlink", run: cmdAccountsUnlink},
	{name: "publish-due", args: "[--dry-run] [--json]", help: "help.publish_due", run: cmdPublishDue},
	{name: "backup", args: "-o FILE", help: "help.backup", run: cmdBackup},
	{name: "restore", args: "FILE (into an empty --data folder)", help: "help.restore", run: cmdRestore, noStore: true},
	{name: "export-json", args: "[-o FILE|-]", help: "help.export_json", run: cmdExportJSON},
	{name: "import-json", args: "FILE|-", help: "help.import_json", run: cmdImportJSON},
	{name: "role apply", args: "--answers FILE.json [--json]", help: "help.role_apply", run: cmdRoleApply},
}

var helpFallback = map[string]string{
	"help.post_add":         "add a post",
	"help.post_list":        "list posts, by time",
	"help.plan":             "the week's slots, posts and review",
	"help.plan_slots":       "the weekly slot plan",
	"help.plan_add_slot":    "add a weekly slot",
	"help.plan_remove_slot": "remove a slot from the plan",
	"help.role_questions":   "the role questionnaire",
	"help.count":            "measure a text from stdin against a network's limit",
	"help.export_ics":       "posting slots as an iCalendar file for Outlook or Google Calendar",
	"help.accounts_link":    "link an X account: prints an address to open, then reads the PIN",
	"help.accounts_list":    "the linked accounts",
	"help.accounts_unlink":  "unlink an account and remove its keys",
	"help.publish_due":      "publish what is due now, then exit (for cron or a systemd timer)",
	"help.backup":           "back up the data folder to a file",
	"help.restore":          "restore a backup into a new, empty data folder",
	"help.export_json":      "all your data (never secrets) as JSON, for another machine or tool",
	"help.import_json":      "import a JSON export; existing items with the same ID are replaced",
	"help.role_apply":       "recommend roles from answers; save the profile and a proposed plan",
}

// lookup finds the command that args start with, the longest name first.
func lookup(args []string) (command, bool) {
	best, found := command{}, false
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) < len(words) {
			continue
		}
		match := true
		for i, w := range words {
			if args[i] != w {
				match = false
				break
			}
		}
		if match && (!found || len(words) > len(strings.Fields(best.name))) {
			best, found = c, true
		}
	}
	return best, found
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, tr("help.usage", "Usage: kaiku [--data DIR] [--log-level LEVEL] [--lang fi|en] [COMMAND]"))
	fmt.Fprintln(w, tr("help.window", "Without a command, kaiku opens its window."))
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  kaiku %s %s\n      %s\n", c.name, c.args, tr(c.help, helpFallback[c.help]))
	}
}

// newFlags makes a command's flag set; parse errors become usage errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usageError{"kaiku " + fs.Name() + ": " + tr("help.see_usage", "see 'kaiku help'")}
		}
		return usageError{"kaiku " + fs.Name() + ": " + err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("error.extra_args", "unexpected arguments: {{.Args}}", map[string]any{"Args": strings.Join(fs.Args(), " ")})
	}
	return nil
}

// multiFlag collects a flag given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
