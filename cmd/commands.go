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
	{name: "post add", args: "--at 2026-12-01T09:00 --text TEXT [--image FILE [--alt TEXT]]... [--status idea|draft|scheduled] [--network x] [--account ID] [--purpose write|share|converse|follow] [--role ROLE]", help: "help.post_add", run: cmdPostAdd},
	{name: "post list", args: "[--from 2026-12-01] [--to 2026-12-07] [--status STATUS] [--search TEXT] [--json]", help: "help.post_list", run: cmdPostList},
	{name: "post delete", args: "ID [--yes]", help: "help.post_delete", run: cmdPostDelete},
	{name: "post retry", args: "ID", help: "help.post_retry", run: cmdPostRetry},
	{name: "post confirm", args: "ID [--url URL]", help: "help.post_confirm", run: cmdPostConfirm},
	{name: "post skip", args: "ID", help: "help.post_skip", run: cmdPostSkip},
	{name: "plan", args: "[--week 2026-W49] [--json]", help: "help.plan", run: cmdPlan},
	{name: "plan slots", args: "[--json]", help: "help.plan_slots", run: cmdPlanSlots},
	{name: "plan add-slot", args: "--day mon --time 09:00 --minutes 30 --purpose share [--role ROLE]", help: "help.plan_add_slot", run: cmdPlanAddSlot},
	{name: "plan remove-slot", args: "ID", help: "help.plan_remove_slot", run: cmdPlanRemoveSlot},
	{name: "role questions", args: "[--json]", help: "help.role_questions", run: cmdRoleQuestions, noStore: true},
	{name: "count", args: "--network x|mastodon|bluesky|linkedin [--limit N] [--json] < TEXT", help: "help.count", run: cmdCount, noStore: true},
	{name: "export-ics", args: "[--from 2026-12-01] [--weeks 4] [--recurring] [-o FILE|-]", help: "help.export_ics", run: cmdExportICS},
	{name: "accounts link", args: "x [--api-base URL] [--consumer-key KEY]   (the key's secret: KAIKU_X_CONSUMER_SECRET, or typed when asked)", help: "help.accounts_link", run: cmdAccountsLink},
	{name: "accounts link", args: "mastodon --instance URL [--oob]   (--oob: type in the code the server shows)", help: "help.accounts_link_mastodon", run: cmdAccountsLink},
	{name: "accounts link", args: "bluesky [--service URL] --handle HANDLE   (the app password on standard input)", help: "help.accounts_link_bluesky", run: cmdAccountsLink},
	{name: "accounts link", args: "linkedin [--port 47812] [--client-id ID] [--api-base URL]   (KAIKU_LINKEDIN_CLIENT_ID, KAIKU_LINKEDIN_CLIENT_SECRET)", help: "help.accounts_link_linkedin", run: cmdAccountsLink},
	{name: "accounts list", args: "[--json]", help: "help.accounts_list", run: cmdAccountsList},
	{name: "accounts unlink", args: "ID", help: "help.accounts_unlink", run: cmdAccountsUnlink},
	{name: "publish-due", args: "[--dry-run] [--json]", help: "help.publish_due", run: cmdPublishDue},
	{name: "backup", args: "-o FILE", help: "help.backup", run: cmdBackup},
	{name: "restore", args: "FILE (into an empty --data folder)", help: "help.restore", run: cmdRestore, noStore: true},
	{name: "export-json", args: "[-o FILE|-]", help: "help.export_json", run: cmdExportJSON},
	{name: "import-json", args: "FILE|-", help: "help.import_json", run: cmdImportJSON},
	{name: "role apply", args: "--answers FILE.json [--json]", help: "help.role_apply", run: cmdRoleApply},
	{name: "calendar add", args: "FILE|URL", help: "help.calendar_add", run: cmdCalendarAdd},
	{name: "calendar list", args: "[--json]", help: "help.calendar_list", run: cmdCalendarList},
	{name: "calendar remove", args: "ID", help: "help.calendar_remove", run: cmdCalendarRemove},
	{name: "calendar refresh", args: "", help: "help.calendar_refresh", run: cmdCalendarRefresh},
	{name: "org export", args: "[-o FILE|-] [--name NAME] [--hashtag TAG]... [--network NETWORK]...", help: "help.org_export", run: cmdOrgExport},
	{name: "org import", args: "FILE|URL", help: "help.org_import", run: cmdOrgImport},
	{name: "feeds add", args: "URL [--folder NAME]", help: "help.feeds_add", run: cmdFeedsAdd},
	{name: "feeds list", args: "[--json]", help: "help.feeds_list", run: cmdFeedsList},
	{name: "feeds remove", args: "ID", help: "help.feeds_remove", run: cmdFeedsRemove},
	{name: "feeds refresh", args: "", help: "help.feeds_refresh", run: cmdFeedsRefresh},
	{name: "feeds items", args: "[--unread] [--saved] [--feed ID] [--folder NAME] [--search TEXT] [--limit N] [--json]", help: "help.feeds_items", run: cmdFeedsItems},
	{name: "feeds share", args: "ITEM --comment TEXT [--at 2026-12-01T09:00]", help: "help.feeds_share", run: cmdFeedsShare},
	{name: "feeds import-opml", args: "FILE|-", help: "help.feeds_import", run: cmdFeedsImportOPML},
	{name: "feeds export-opml", args: "[-o FILE|-]", help: "help.feeds_export", run: cmdFeedsExportOPML},
	{name: "version", args: "[--json]", help: "help.version", run: cmdVersion, noStore: true},
}

var helpFallback = map[string]string{
	"help.post_add":         "add a post",
	"help.post_list":        "list posts, by time",
	"help.post_delete":      "delete a post from Kaiku (a published one, with --yes, from Kaiku only: it stays on the network)",
	"help.post_retry":       "publish a post that failed or needs attention again (parts already out are not sent again)",
	"help.post_confirm":     "record that a post that needs attention did go out, at URL if given",
	"help.post_skip":        "skip a post that failed or needs attention: it becomes a draft and does not go out",
	"help.plan":             "the week's slots, posts and review",
	"help.plan_slots":       "the weekly slot plan",
	"help.plan_add_slot":    "add a weekly slot",
	"help.plan_remove_slot": "remove a slot from the plan",
	"help.role_questions":   "the role questionnaire",
	"help.count":            "measure a text from stdin against a network's limit",
	"help.export_ics":       "posting slots as an iCalendar file for Outlook or Google Calendar",
	"help.accounts_link":    "link an X account: prints an address to open, then reads the PIN",
	"help.accounts_list":    "the linked accounts, with when a link ends",
	"help.accounts_unlink":  "unlink an account, end Kaiku's access where it can, remove its keys",
	"help.publish_due":      "publish what is due now, then exit (for cron or a systemd timer)",
	"help.backup":           "back up the data folder to a file",
	"help.restore":          "restore a backup into a new, empty data folder",
	"help.export_json":      "all your data (never secrets) as JSON, for another machine or tool",
	"help.import_json":      "import a JSON export; existing items with the same ID are replaced",
	"help.role_apply":       "recommend roles from answers; save the profile and a plan around your busy time",
	"help.calendar_add":     "read busy time from a work calendar (.ics file or address); prints its ID",
	"help.calendar_list":    "the work calendars and when each was read",
	"help.calendar_remove":  "forget a work calendar and its busy time",
	"help.calendar_refresh": "read every work calendar again",
	"help.org_export":       "your organization's goals, guidelines and hashtags as a kit for its experts",
	"help.org_import":       "apply an organization kit: its goals once, its guidelines, hashtags and feeds",
	"help.feeds_add":        "follow a feed, or the feed a site's page names; prints its ID and title",
	"help.feeds_list":       "the feeds you follow",
	"help.feeds_remove":     "stop following a feed; its saved and shared items stay",
	"help.feeds_refresh":    "fetch what is new in every feed; exit 1 when one failed",
	"help.feeds_items":      "the reading list, newest first",
	"help.feeds_share":      "share an item with your own comment: a draft post; prints its ID",
	"help.feeds_import":     "follow the feeds of an OPML file (Feedly, Inoreader and others)",
	"help.feeds_export":     "the feeds you follow as an OPML file",
	"help.version":          "the version, the commit it was built from, and the Go version",

	"help.accounts_link_mastodon": "link a Mastodon account: prints an address to open, then waits for the browser (or reads the code)",
	"help.accounts_link_bluesky":  "link a Bluesky account with an app password, read from standard input",
	"help.accounts_link_linkedin": "link a LinkedIn account through your LinkedIn app: prints an address to open, then waits for the browser",
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
	fmt.Fprintln(w, tr("help.background", "kaiku --background starts it in the tray, without the window; kaiku --version prints the version."))
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  kaiku %s\n      %s\n", strings.TrimSpace(c.name+" "+c.args), tr(c.help, helpFallback[c.help]))
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
