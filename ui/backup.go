package ui

import (
	"bytes"
	"context"
	"io"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// Archive is what the settings screen needs to back up, restore and move
// the user's data; the storage package's Store provides it. Its errors
// explain themselves (planner.Explain).
type Archive interface {
	Backup(ctx context.Context, w io.Writer, progress func(done, total int64)) error
	ExportJSON(ctx context.Context, w io.Writer) error
	ImportJSON(ctx context.Context, r io.Reader) (planner.ImportSummary, error)
	// RestoreInto restores a backup into dir, a new or empty folder; the
	// data in use is not touched.
	RestoreInto(ctx context.Context, dir string, r io.Reader, progress func(done int64)) error
}

// archiveButtons are the settings screen's data tools.
func (s *SettingsScreen) archiveButtons() fyne.CanvasObject {
	if s.deps.Archive == nil {
		return container.NewVBox()
	}
	backup := &widget.Button{Text: lang.X("settings.backup", "Back up…"), OnTapped: s.backup}
	restore := &widget.Button{Text: lang.X("settings.restore", "Restore…"), OnTapped: s.restore}
	export := &widget.Button{Text: lang.X("settings.export_json", "Export JSON…"), OnTapped: s.exportJSON}
	imp := &widget.Button{Text: lang.X("settings.import_json", "Import JSON…"), OnTapped: s.importJSON}
	return container.NewGridWithColumns(4, backup, restore, export, imp)
}

// withProgress runs work off the UI goroutine behind a progress dialog: a
// bar once work tells how much there is, a moving stripe until then.
func (s *SettingsScreen) withProgress(title string, work func(progress func(done, total int64)) error, done func()) {
	bar, busy := widget.NewProgressBar(), widget.NewProgressBarInfinite()
	bar.Hide()
	s.progress = bar
	d := dialog.NewCustomWithoutButtons(title, container.NewStack(busy, bar), s.win)
	d.Show()
	s.deps.background(func() {
		err := work(func(n, total int64) {
			if total > 0 {
				s.deps.do(func() {
					if busy.Visible() {
						busy.Stop()
						busy.Hide()
						bar.Show()
					}
					bar.SetValue(min(float64(n)/float64(total), 1))
				})
			}
		})
		s.deps.do(func() {
			busy.Stop()
			d.Hide()
			if err != nil {
				showError(s.win, s.deps.Log, "data tools", err)
				return
			}
			done()
		})
	})
}

// saveBytes asks where to save b, and tells where it went.
func (s *SettingsScreen) saveBytes(kind, name, ext string, b []byte) {
	saveFile(s.deps, s.win, kind, name, ext, b, "save file", lang.X("saved.title", "Saved"), func(path string) string {
		s.note.SetText(lang.X("settings.saved_file", "Saved {{.File}}.", map[string]any{"File": path}))
		return lang.X("saved.where", "Saved as {{.File}}", map[string]any{"File": path})
	})
}

func (s *SettingsScreen) backup() {
	var buf bytes.Buffer
	s.withProgress(lang.X("settings.backing_up", "Backing up…"), func(p func(int64, int64)) error {
		return s.deps.Archive.Backup(context.Background(), &buf, p)
	}, func() { s.saveBytes("backup", "kaiku.backup", ".backup", buf.Bytes()) })
}

func (s *SettingsScreen) exportJSON() {
	var buf bytes.Buffer
	s.withProgress(lang.X("settings.exporting", "Exporting…"), func(func(int64, int64)) error {
		return s.deps.Archive.ExportJSON(context.Background(), &buf)
	}, func() { s.saveBytes("json", "kaiku.json", ".json", buf.Bytes()) })
}

func (s *SettingsScreen) importJSON() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		var sum planner.ImportSummary
		s.withProgress(lang.X("settings.importing", "Importing…"), func(func(int64, int64)) error {
			defer r.Close()
			var err error
			sum, err = s.deps.Archive.ImportJSON(context.Background(), r)
			return err
		}, func() {
			s.note.SetText(lang.X("cli.import_done", "Imported {{.Posts}} posts, {{.Plans}} plans, {{.Goals}} goals.", map[string]any{"Posts": sum.Posts, "Plans": sum.Plans, "Goals": sum.Goals}))
			s.changed.emit()
		})
	}, s.win)
}

// restore loads a backup into a new, empty folder, which Kaiku then opens
// with --data (or KAIKU_DATA): the folder in use is never overwritten.
func (s *SettingsScreen) restore() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
			if err != nil || dir == nil {
				r.Close()
				return
			}
			s.restoreFrom(r, dir.Path())
		}, s.win)
	}, s.win)
}

// restoreFrom restores the backup r into the folder dir, the bar showing
// how much of the file is read.
func (s *SettingsScreen) restoreFrom(r fyne.URIReadCloser, dir string) {
	s.withProgress(lang.X("settings.restoring", "Restoring…"), func(p func(int64, int64)) error {
		defer r.Close()
		total := sizeOf(r)
		named := namedReader{Reader: r, name: r.URI().Name()}
		return s.deps.Archive.RestoreInto(context.Background(), dir, named, func(n int64) { p(n, total) })
	}, func() {
		dialog.ShowInformation(lang.X("settings.restored_title", "Restored"),
			lang.X("settings.restored", "Your data is in {{.Dir}}. Start Kaiku with: kaiku --data \"{{.Dir}}\"", map[string]any{"Dir": dir}), s.win)
	})
}

// namedReader gives a backup's errors the file's name.
type namedReader struct {
	io.Reader
	name string
}

func (r namedReader) Name() string { return r.name }

// sizeOf is the size of the file behind r, or 0 when r is not a file (the
// bar then shows only that work goes on).
func sizeOf(r any) int64 {
	f, ok := r.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return 0
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return 0
	}
	return info.Size()
}
