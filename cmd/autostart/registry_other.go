//go:build !windows

package autostart

import "errors"

// The Run key exists only on Windows; For gives other systems a file.
var errNoRegistry = errors.New("the Windows registry exists only on Windows")

func setRunValue(string, string) error { return errNoRegistry }

func deleteRunValue(string) error { return errNoRegistry }

func runValue(string) (string, bool, error) { return "", false, errNoRegistry }
