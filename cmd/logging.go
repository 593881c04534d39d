package cmd

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
)

// redacted replaces whatever looked like a secret.
const redacted = "[redacted]"

// secretKey matches field names whose values are secret by their name.
var secretKey = regexp.MustCompile(`(?i)(token|secret|password|passwd|authorization|pin|signature|verifier|cookie|api[_-]?key|consumer[_-]?key)`)

var secretPatterns = []*regexp.Regexp{
	// An Authorization header, whatever its scheme: the rest of the line goes.
	regexp.MustCompile(`(?i)(authorization\s*[:=]\s*)[^\r\n]*`),
	regexp.MustCompile(`(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+`),
	// OAuth parameters in headers, query strings and form bodies.
	regexp.MustCompile(`(?i)(oauth_(?:token|token_secret|signature|verifier|consumer_key|nonce)\s*=\s*"?)[^"&,\s]+`),
	// key=value and "key": "value" pairs with a secret-sounding key.
	regexp.MustCompile(`(?i)((?:access_token|refresh_token|token_secret|client_secret|consumer_secret|consumer_key|api_key|password|secret|token|pin)"?\s*[:=]\s*"?)[^"&,\s]+`),
}

// tokenLike finds long runs that mix upper case, lower case and digits: the
// shape of OAuth keys and tokens. Kaiku's own IDs are lower case and pass.
var tokenLike = regexp.MustCompile(`[A-Za-z0-9_\-]{20,}`)

// Redact removes anything shaped like a token, secret or Authorization header.
func Redact(s string) string {
	for _, re := range secretPatterns {
		s = re.ReplaceAllString(s, "${1}"+redacted)
	}
	var b strings.Builder
	last := 0
	for _, loc := range tokenLike.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		// A file name in a path is the user's, not a secret: keep it readable.
		if loc[0] > 0 && (s[loc[0]-1] == '/' || s[loc[0]-1] == '\\') {
			continue
		}
		if !mixedCase(m) {
			continue
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(redacted)
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// mixedCase reports whether m has upper case, lower case and digits.
func mixedCase(m string) bool {
	var upper, lower, digit bool
	for _, r := range m {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		}
	}
	return upper && lower && digit
}

// redactHook cleans every entry before any formatter sees it.
type redactHook struct{}

func (redactHook) Levels() []logrus.Level { return logrus.AllLevels }

func (redactHook) Fire(e *logrus.Entry) error {
	e.Message = Redact(e.Message)
	for k, v := range e.Data {
		if secretKey.MatchString(k) {
			e.Data[k] = redacted
			continue
		}
		switch x := v.(type) {
		case string:
			e.Data[k] = Redact(x)
		case error:
			e.Data[k] = Redact(x.Error())
		case []byte:
			e.Data[k] = Redact(string(x))
		case interface{ String() string }:
			e.Data[k] = Redact(x.String())
		}
	}
	return nil
}

// logFileCap is the size at which kaiku.log is rotated to kaiku.log.1.
const logFileCap = 2 << 20

// cappedFile is an append-only log file that rotates once it reaches its cap,
// so the log never grows without bound on a machine that runs for years.
type cappedFile struct {
	mu   sync.Mutex
	path string
	f    *os.File
	size int64
}

func openCappedFile(path string) (*cappedFile, error) {
	c := &cappedFile{path: path}
	if err := c.open(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *cappedFile) open() error {
	f, err := os.OpenFile(c.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	c.f, c.size = f, st.Size()
	return nil
}

func (c *cappedFile) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return 0, os.ErrClosed
	}
	if c.size+int64(len(p)) > logFileCap {
		c.f.Close()
		_ = os.Rename(c.path, c.path+".1")
		if err := c.open(); err != nil {
			c.f = nil
			return 0, err
		}
	}
	n, err := c.f.Write(p)
	c.size += int64(n)
	return n, err
}

func (c *cappedFile) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return nil
	}
	err := c.f.Close()
	c.f = nil
	return err
}

// newLogger makes the logger: text to stderr, redacted, at the given level.
func newLogger(stderr io.Writer, level string) (*logrus.Logger, error) {
	log := logrus.New()
	log.SetOutput(stderr)
	log.SetFormatter(&logrus.TextFormatter{DisableColors: true, FullTimestamp: true})
	log.AddHook(redactHook{})
	lvl, err := logrus.ParseLevel(level)
	if err != nil {
		return nil, err
	}
	log.SetLevel(lvl)
	return log, nil
}

// logToFile adds <dir>/kaiku.log as a second output of log.
func logToFile(log *logrus.Logger, dir string) (io.Closer, error) {
	f, err := openCappedFile(filepath.Join(dir, "kaiku.log"))
	if err != nil {
		return nil, err
	}
	log.SetOutput(io.MultiWriter(log.Out, f))
	return f, nil
}

// stdlogWriter passes what is written to the standard library's logger
// (Fyne's complaints) to log at debug level. It needs no goroutine, unlike
// logrus's WriterLevel, so a run leaves nothing behind.
type stdlogWriter struct{ log logrus.FieldLogger }

func (w stdlogWriter) Write(p []byte) (int, error) {
	w.log.Debug(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// levelFromEnv returns KAIKU_LOG, or "warning".
func levelFromEnv() string {
	if v := strings.TrimSpace(os.Getenv("KAIKU_LOG")); v != "" {
		return v
	}
	return "warning"
}
