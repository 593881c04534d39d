package cmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	stdlog "log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/sirupsen/logrus"

	"github.com/kaiku-app/kaiku/assets"
	"github.com/kaiku-app/kaiku/cmd/instance"
	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

// Exit statuses, as the command line promises.
const (
	exitOK    = 0
	exitError = 1 // an error the user can fix
	exitUsage = 2
)

// env is what a command gets: its streams, the open store and the user's zone.
type env struct {
	ctx     context.Context
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	log     *logrus.Logger
	dataDir string
	store   *storage.Store
	loc     *time.Location
	now     func() time.Time
	globals globals
	about   about
	// raise receives when a second start on the data folder asks for the
	// window, and quitting tells such starts from then on that the window
	// is quitting; both nil for commands.
	raise    <-chan struct{}
	quitting func()
}

// desktop is the window side of the binary: main passes the real one, and
// tests their own, so that they need no display.
type desktop struct {
	// open runs the window until it closes.
	open func(e *env, forcedLang string) error
	// refuse shows why the window cannot open, for a user who started Kaiku
	// from the desktop and reads no terminal; nil only prints it.
	refuse func(msg string)
	// warm, when not nil, starts what the window needs that does not need
	// the data (the toolkit, the text faces) while the data folder opens.
	warm func()
	// about is Kaiku's name and version, from FyneApp.toml.
	about about
}

// globals are the flags every command takes.
type globals struct {
	data     string
	logLevel string
	lang     string
	version  bool
	// background starts the app in the tray without its window, as the
	// login does when Kaiku starts at login.
	background bool
}

// usageError is a mistake in how the command was called: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(key, fallback string, data ...any) error {
	return usageError{tr(key, fallback, data...)}
}

// userError is a problem the user can fix, told in their language: exit 1.
type userError struct {
	msg   string
	cause error
}

func (e userError) Error() string { return e.msg }
func (e userError) Unwrap() error { return e.cause }

func userErrorf(cause error, key, fallback string, data ...any) error {
	return userError{msg: tr(key, fallback, data...), cause: cause}
}

// tr translates key; data is a map for the template.
func tr(key, fallback string, data ...any) string {
	return lang.X(key, fallback, data...)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, d desktop) int {
	var g globals
	fs := flag.NewFlagSet("kaiku", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.data, "data", "", "data folder")
	fs.StringVar(&g.logLevel, "log-level", levelFromEnv(), "log level: debug, info, warning, error")
	fs.StringVar(&g.lang, "lang", "", "language: fi or en")
	fs.BoolVar(&g.version, "version", false, "print the version")
	fs.BoolVar(&g.background, "background", false, "start in the tray, without the window")
	parseErr := fs.Parse(args)

	log, logErr := newLogger(stderr, g.logLevel)
	if logErr != nil {
		log, _ = newLogger(stderr, "warning")
	}
	// Fyne's own complaints (about an unparsable locale, say) are debug noise here.
	prevOut, prevFlags := stdlog.Writer(), stdlog.Flags()
	stdlog.SetFlags(0)
	stdlog.SetOutput(stdlogWriter{log})
	defer func() {
		stdlog.SetOutput(prevOut)
		stdlog.SetFlags(prevFlags)
	}()

	// Translations first, so that even a usage error speaks the user's language.
	forced := g.lang
	if forced != "" && !assets.Supported(forced) {
		forced = ""
	}
	if err := assets.LoadTranslations(forced); err != nil {
		fmt.Fprintln(stderr, "kaiku:", err)
	}
	if parseErr != nil {
		if errors.Is(parseErr, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		return fail(stderr, usageError{parseErr.Error()})
	}
	if g.lang != "" && forced == "" {
		return fail(stderr, usagef("error.lang_flag", "--lang is fi or en, not {{.Lang}}", map[string]any{"Lang": g.lang}))
	}
	if logErr != nil {
		return fail(stderr, usagef("error.log_level", "unknown log level {{.Level}}", map[string]any{"Level": g.logLevel}))
	}
	// An empty --data is a script's unset variable, not a wish for the
	// default folder: falling back would write into the user's own data.
	dataGiven := false
	fs.Visit(func(f *flag.Flag) { dataGiven = dataGiven || f.Name == "data" })
	if dataGiven && strings.TrimSpace(g.data) == "" {
		return fail(stderr, usagef("error.data_empty", "--data is empty; give the data folder, or leave --data out to use your own"))
	}
	if v, set := os.LookupEnv("KAIKU_DATA"); set && !dataGiven && strings.TrimSpace(v) == "" {
		return fail(stderr, usagef("error.data_env_empty", "KAIKU_DATA is set but empty; set it to the data folder, or unset it to use your own"))
	}

	var err error
	rest := fs.Args()
	if len(rest) > 0 && rest[0] == "help" {
		printUsage(stdout)
		return exitOK
	}
	if g.version {
		return finish(stderr, log, printVersion(stdout, d.about, false))
	}
	var cmd command
	if len(rest) > 0 {
		var ok bool
		if cmd, ok = lookup(rest); !ok {
			return fail(stderr, usagef("error.unknown_command", "unknown command {{.Command}}", map[string]any{"Command": strings.Join(rest, " ")}))
		}
		rest = rest[len(strings.Fields(cmd.name)):]
		if g.background {
			return fail(stderr, usagef("error.background_command", "--background starts the app in the tray; it goes without a command"))
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, log: log, now: time.Now, globals: g, about: d.about}
	if cmd.noStore {
		return finish(stderr, log, cmd.run(e, rest))
	}

	// Without a command the window opens; what stops it is shown there too.
	failStart := func(err error) int {
		if cmd.run == nil && d.refuse != nil {
			d.refuse(userMessage(err))
		}
		return finish(stderr, log, err)
	}
	if e.dataDir, err = dataDir(g.data); err != nil {
		return failStart(err)
	}
	if err := os.MkdirAll(e.dataDir, 0o700); err != nil {
		return failStart(userErrorf(err, "error.data_dir", "cannot create the data folder {{.Dir}}: {{.Err}}", map[string]any{"Dir": e.dataDir, "Err": err}))
	}
	if cmd.run == nil && d.warm != nil {
		d.warm()
	}
	e.store, err = storage.Open(e.dataDir, storage.Options{Logger: log})
	if err != nil && cmd.run == nil && errors.Is(err, storage.ErrLocked) {
		herr := handOver(e)
		if herr == nil {
			return exitOK
		}
		if errors.Is(herr, instance.ErrQuitting) {
			// The window there is closing: this start opens its own once
			// that one has let go of the folder.
			e.store, err = openWhenFree(e.dataDir, log)
		}
	}
	if err != nil {
		if cmd.name == "publish-due" && errors.Is(err, storage.ErrLocked) {
			// The open app's outbox publishes on time; two publishers could post twice.
			fmt.Fprintln(stdout, tr("cli.publish_app_open", "Kaiku is open on {{.Dir}} and publishes there; nothing to do.", map[string]any{"Dir": e.dataDir}))
			return exitOK
		}
		return failStart(storeOpenError(e.dataDir, err))
	}
	if cmd.run == nil {
		// The data folder is ours: a second start on it finds us here.
		if l, err := instance.Listen(e.dataDir); err != nil {
			log.WithError(err).Warn("a second start on this data folder cannot reach this window")
		} else {
			defer l.Close()
			e.raise, e.quitting = l.Raised(), l.Quitting
		}
	}
	// The log file lives beside the database, which we now know is ours; it
	// closes after the store, so that the store's last words reach it.
	if c, err := logToFile(log, e.dataDir); err == nil {
		defer c.Close()
	}
	code := func() int {
		settings, err := e.store.Settings(ctx)
		if err != nil {
			return failStart(err)
		}
		if g.lang == "" && settings.Language != "" {
			forced = settings.Language
			_ = assets.LoadTranslations(forced)
		}
		e.loc = settings.Location(localZone())
		if cmd.run == nil {
			return finish(stderr, log, d.open(e, forced))
		}
		return finish(stderr, log, cmd.run(e, rest))
	}()
	return closeStore(stderr, log, e.store, code)
}

// closeStore closes the data folder after a command and returns its exit
// status. A failure to close is told, but does not change the status: what
// the command saved was on disk before it returned (the store syncs every
// write), and the next start recovers what the close did not tidy.
func closeStore(stderr io.Writer, log logrus.FieldLogger, store io.Closer, code int) int {
	if err := store.Close(); err != nil {
		log.WithError(err).Error("closing the data folder failed")
		fmt.Fprintln(stderr, "kaiku:", tr("error.close", "the data folder did not close cleanly; what was saved is safe, and Kaiku tidies up on its next start"))
	}
	return code
}

// handOver lets the Kaiku already running on the data folder answer a start
// of the window: it brings its window to the front, or for a start at login
// (--background) stays as it is. It returns instance.ErrQuitting when that
// Kaiku is quitting, and another error when nothing answers: the start then
// says that the folder is in use.
func handOver(e *env) error {
	ask := instance.Raise
	if e.globals.background {
		ask = instance.Ping
	}
	err := ask(e.dataDir)
	if err != nil {
		e.log.WithError(err).Debug("no running Kaiku took the start")
	}
	return err
}

// quittingWait bounds how long a start waits for a quitting Kaiku to let go
// of the data folder: it saves and exits within quitWait of its quit.
const quittingWait = 2 * quitWait

// openWhenFree opens the data folder once the Kaiku quitting on it has let
// go, trying again while the folder is locked, for up to quittingWait.
func openWhenFree(dir string, log logrus.FieldLogger) (*storage.Store, error) {
	deadline := time.Now().Add(quittingWait)
	for {
		time.Sleep(100 * time.Millisecond)
		st, err := storage.Open(dir, storage.Options{Logger: log})
		if !errors.Is(err, storage.ErrLocked) || time.Now().After(deadline) {
			return st, err
		}
	}
}

// dataDir picks the data folder: --data, else KAIKU_DATA, else the user's config folder.
func dataDir(flagValue string) (string, error) {
	dir := flagValue
	if dir == "" {
		dir = os.Getenv("KAIKU_DATA")
	}
	if dir == "" {
		cfg, err := os.UserConfigDir()
		if err != nil {
			return "", userErrorf(err, "error.no_config_dir", "cannot find a folder for Kaiku's data; use --data DIR")
		}
		dir = filepath.Join(cfg, "kaiku", "db")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", userErrorf(err, "error.data_dir", "cannot create the data folder {{.Dir}}: {{.Err}}", map[string]any{"Dir": dir, "Err": err})
	}
	return abs, nil
}

// storeOpenError turns the store's open errors into one line for the user.
func storeOpenError(dir string, err error) error {
	if msg, known := planner.Explain(err, tr); known {
		return userError{msg: msg, cause: err}
	}
	return userErrorf(err, "error.open", "cannot open the data in {{.Dir}}: {{.Err}}", map[string]any{"Dir": dir, "Err": err})
}

// finish logs err's cause and turns it into an exit status.
func finish(stderr io.Writer, log *logrus.Logger, err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if !errors.As(err, &ue) {
		log.WithError(err).Debug("command failed")
	}
	return fail(stderr, err)
}

// fail prints the one line the user sees and picks the exit status.
func fail(stderr io.Writer, err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "kaiku:", termSafe(ue.msg))
		fmt.Fprintln(stderr, tr("error.see_help", "Run 'kaiku help' for the commands."))
		return exitUsage
	}
	var se statusError
	if errors.As(err, &se) {
		fmt.Fprintln(stderr, "kaiku:", se.msg)
		return se.status
	}
	// A message may quote the user's data (a file's item ID, a folder's name).
	fmt.Fprintln(stderr, "kaiku:", termSafe(userMessage(err)))
	return exitError
}

// userMessage says what went wrong without internals: planner.Explain's
// words, which the window shows too. An error Kaiku knows nothing of is
// told as it is, for a terminal or a script to act on.
func userMessage(err error) string {
	var ue userError
	if errors.As(err, &ue) {
		return ue.msg
	}
	if msg, known := planner.Explain(err, tr); known {
		return msg
	}
	return err.Error()
}
