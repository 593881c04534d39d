package cmd

import (
	"github.com/kaiku-app/kaiku/reading"
	"github.com/kaiku-app/kaiku/ui"
)

var _ ui.ReadingList = (*reading.List)(nil)
