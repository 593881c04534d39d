package ui

import (
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// prefSaveFolder remembers, per kind of file, the folder the user last
// saved one in.
const prefSaveFolder = "save.folder."

// saveFile asks where to save b, starting in the folder where the user
// last saved a file of this kind, writes it there off the UI goroutine and
// tells where it went: the whole path, and a button that opens its folder.
// kind names the kind ("calendar", "backup"); what is what a failure says
// was being done; told makes the confirmation's text from the path.
func saveFile(d *Deps, win fyne.Window, kind, name, ext string, b []byte, what, title string, told func(path string) string) {
	save := dialog.NewFileSave(saveTo(d, win, kind, b, what, title, told), win)
	save.SetFileName(name)
	save.SetFilter(fstorage.NewExtensionFileFilter([]string{ext}))
	if dir := fyne.CurrentApp().Preferences().String(prefSaveFolder + kind); dir != "" {
		if l, err := fstorage.ListerForURI(fstorage.NewFileURI(dir)); err == nil {
			save.SetLocation(l)
		}
	}
	save.Show()
}

// saveTo is what the save dialog does with the file the user chose.
func saveTo(d *Deps, win fyne.Window, kind string, b []byte, what, title string, told func(path string) string) func(fyne.URIWriteCloser, error) {
	return func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(win, d.Log, what, err)
			return
		}
		if w == nil {
			return // cancelled
		}
		writeFile(d, win, what, w, b, func(u fyne.URI) {
			dir := filepath.Dir(u.Path())
			fyne.CurrentApp().Preferences().SetString(prefSaveFolder+kind, dir)
			showSaved(d, win, title, told(u.Path()), dir)
		})
	}
}

// showSaved confirms a saved file with its whole path, which can be
// selected and copied, and offers to open its folder.
func showSaved(d *Deps, win fyne.Window, title, text, dir string) {
	path := &widget.Label{Text: text, Wrapping: fyne.TextWrapBreak, Selectable: true}
	var dlg dialog.Dialog
	open := &widget.Button{Text: lang.X("saved.open_folder", "Open folder"), OnTapped: func() {
		dlg.Hide()
		if err := fyne.CurrentApp().OpenURL(&url.URL{Scheme: "file", Path: dir}); err != nil {
			showError(win, d.Log, "open folder", err)
		}
	}}
	dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(path, container.NewHBox(open)), win)
	ok := &widget.Button{Text: lang.X("saved.ok", "OK"), Importance: widget.HighImportance, OnTapped: func() { dlg.Hide() }}
	dlg.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{ok})
	dlg.Resize(fyne.NewSize(520, 220))
	dlg.Show()
}
