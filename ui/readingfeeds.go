package ui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// followTimeout bounds following a feed: a fetch of the page, then of its feed.
const followTimeout = 2 * time.Minute

// askAdd asks for a feed's or a site's address and follows it.
func (s *ReadingScreen) askAdd() {
	address := newKeyEntry(s.win)
	address.PlaceHolder = "https://…"
	folder := newKeySelectEntry(s.win, s.folders())
	folder.PlaceHolder = lang.X("reading.add.no_folder", "No folder")
	items := []*widget.FormItem{
		{Text: lang.X("reading.add.address", "Address"), Widget: address, HintText: lang.X("reading.add.hint", "A feed's address, or a site's: Kaiku finds the site's feed")},
		{Text: lang.X("reading.add.folder", "Folder"), Widget: folder},
	}
	d := dialog.NewForm(lang.X("reading.add.title", "Follow a feed"), lang.X("reading.add.follow", "Follow"), lang.X("dialog.cancel", "Cancel"), items, func(ok bool) {
		if ok {
			s.Add(address.Text, folder.Text)
		}
	}, s.win)
	d.Resize(fyne.NewSize(520, 260))
	showDialog(s.win, d, nil)
	s.win.Canvas().Focus(address)
}

// folders are the folders in use, for the add dialog.
func (s *ReadingScreen) folders() []string {
	var out []string
	for _, f := range s.feeds {
		if f.Folder != "" && (len(out) == 0 || out[len(out)-1] != f.Folder) {
			out = append(out, f.Folder)
		}
	}
	return out
}

// Add follows the feed at address (or the feed its page names) in the
// folder, and shows it; a failure says why, in the user's words.
func (s *ReadingScreen) Add(address, folder string) {
	address = strings.TrimSpace(address)
	if address == "" {
		dialog.ShowInformation(lang.X("reading.add.title", "Follow a feed"), lang.X("reading.add.empty", "Give the address of a feed or of a site."), s.win)
		return
	}
	r := s.deps.Reading
	s.status.SetText(lang.X("reading.adding", "Looking for the feed at {{.URL}}…", map[string]any{"URL": address}))
	// Not in the write lane: a slow site must not hold up the saving of
	// posts. Following a feed is one transaction of its own.
	s.deps.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), followTimeout)
		defer cancel()
		f, added, err := r.Add(ctx, address, folder)
		s.deps.do(func() {
			s.showStatus()
			if err != nil {
				showError(s.win, s.deps.Log, "follow feed", err)
				return
			}
			if !added {
				dialog.ShowInformation(lang.X("reading.add.title", "Follow a feed"),
					lang.X("reading.add.already", "You follow {{.Feed}} already.", map[string]any{"Feed": feedName(f)}), s.win)
			}
			s.filter = readingFilter{kind: filterFeed, value: f.ID}
			s.showRemove()
			s.changed.emit()
		})
	})
}

// showRemove offers removing the feed chosen on the left, if one is.
func (s *ReadingScreen) showRemove() {
	if s.filter.kind == filterFeed {
		s.remove.Enable()
	} else {
		s.remove.Disable()
	}
}

func (s *ReadingScreen) confirmRemove() {
	if s.filter.kind != filterFeed {
		return
	}
	f := s.feedByID[s.filter.value]
	dialog.ShowConfirm(lang.X("reading.remove.title", "Stop following?"),
		lang.X("reading.remove.body", "Stop following {{.Feed}}? Its items go, except the ones you saved or shared.", map[string]any{"Feed": feedName(f)}),
		func(ok bool) {
			if ok {
				s.Remove(f.ID)
			}
		}, s.win)
}

// Remove stops following the feed.
func (s *ReadingScreen) Remove(feedID string) {
	r := s.deps.Reading
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		err := r.Remove(ctx, feedID)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "remove feed", err)
				return
			}
			s.filter = readingFilter{kind: filterUnread}
			s.showRemove()
			s.changed.emit()
		})
	})
}

func (s *ReadingScreen) askImport() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(s.win, s.deps.Log, "choose OPML file", err)
			return
		}
		if rc == nil {
			return
		}
		s.ImportOPML(rc)
	}, s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".opml", ".xml"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// ImportOPML follows the feeds of the OPML file, which it closes; they
// fill at the refresh that follows.
func (s *ReadingScreen) ImportOPML(rc io.ReadCloser) {
	r := s.deps.Reading
	s.deps.write(func() {
		data, err := io.ReadAll(io.LimitReader(rc, 16<<20))
		rc.Close()
		var added, existing int
		if err == nil {
			ctx, cancel := s.deps.ctx()
			added, existing, err = r.ImportOPML(ctx, bytes.NewReader(data))
			cancel()
		}
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "import OPML", err)
				if added > 0 {
					s.changed.emit()
				}
				return
			}
			dialog.ShowInformation(lang.X("reading.import.title", "Feeds imported"),
				lang.X("reading.import.done", "Feeds added: {{.Added}}; followed already: {{.Existing}}. The new ones fill at the refresh that starts now.",
					map[string]any{"Added": added, "Existing": existing}), s.win)
			s.changed.emit()
			if added > 0 {
				s.RefreshNow()
			}
		})
	})
}

func (s *ReadingScreen) askExport() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(s.win, s.deps.Log, "choose OPML file", err)
			return
		}
		if wc == nil {
			return
		}
		s.ExportOPML(wc)
	}, s.win)
	d.SetFileName("kaiku-feeds.opml")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".opml"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// ExportOPML writes the followed feeds to wc as OPML, and closes it. The
// file is made whole in memory first, then written.
func (s *ReadingScreen) ExportOPML(wc fyne.URIWriteCloser) {
	r := s.deps.Reading
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		var buf bytes.Buffer
		err := r.ExportOPML(ctx, &buf)
		s.deps.do(func() {
			if err != nil {
				wc.Close()
				showError(s.win, s.deps.Log, "export OPML", err)
				return
			}
			writeFile(s.deps, s.win, "export OPML", wc, buf.Bytes(), func(u fyne.URI) {
				name := u.Path()
				s.status.SetText(lang.X("reading.exported", "Feeds exported to {{.File}}.", map[string]any{"File": name}))
			})
		})
	})
}

// Feeds are the feeds followed, as last loaded.
func (s *ReadingScreen) Feeds() []planner.Feed { return s.feeds }
