package storage

import (
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"
)

// badgerLogger passes Badger's warnings and errors to logrus and drops its
// info and debug chatter, which says nothing a Kaiku user can act on.
type badgerLogger struct {
	log logrus.FieldLogger
}

func newBadgerLogger(log logrus.FieldLogger) badgerLogger {
	return badgerLogger{log: log.WithField("component", "badger")}
}

func (l badgerLogger) Errorf(format string, args ...any) {
	l.log.Error(strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (l badgerLogger) Warningf(format string, args ...any) {
	l.log.Warn(strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}
