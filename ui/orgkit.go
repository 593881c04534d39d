package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// kitFetchTimeout bounds bringing a kit from an address.
const kitFetchTimeout = time.Minute

// orgSection is Settings → Organization: the kit the organization's
// communications team hands out, what it holds and when it came, its
// import from a file or an address, and the export of one.
type orgSection struct {
	s      *SettingsScreen
	record *planner.OrgKitRecord // nil before the first import
	info   *widget.Form
	none   *widget.Label
	note   *widget.Label
	box    *fyne.Container
}

// orgKitSection builds the section and loads the kit in use.
func (s *SettingsScreen) orgKitSection() fyne.CanvasObject {
	o := &orgSection{s: s}
	s.org = o
	o.info = widget.NewForm()
	o.none = &widget.Label{Text: lang.X("org.none", "No organization kit is in use. Your organization's communications team can give you one, as a file or a web address: its goals, guidelines, hashtags and feeds then come to Kaiku in one go."), Wrapping: fyne.TextWrapWord}
	o.note = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	o.note.Hide()
	title := &widget.Label{Text: lang.X("org.title", "Organization"), TextStyle: fyne.TextStyle{Bold: true}}
	buttons := container.NewHBox(&widget.Button{Text: lang.X("org.import_file", "Import kit from a file…"), Icon: theme.FolderOpenIcon(), OnTapped: o.askFile})
	if s.deps.FetchKit != nil {
		buttons.Add(&widget.Button{Text: lang.X("org.import_address", "Import kit from an address…"), Icon: theme.DownloadIcon(), OnTapped: o.askAddress})
	}
	buttons.Add(&widget.Button{Text: lang.X("org.export", "Export kit…"), Icon: theme.DocumentSaveIcon(), OnTapped: o.askExport})
	o.info.Hide()
	o.box = container.NewVBox(title, o.none, o.info, buttons, o.note)
	o.load()
	return o.box
}

// store is where a kit goes: the store, and the reading list for its feeds.
func (o *orgSection) store() planner.Store {
	if r := o.s.deps.Reading; r != nil {
		return r.WithKitFeeds(o.s.deps.Store)
	}
	return o.s.deps.Store
}

// load reads the kit record off the UI goroutine and shows it.
func (o *orgSection) load() {
	d := o.s.deps
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		rec, err := d.Store.OrgKit(ctx)
		d.do(func() {
			switch {
			case errors.Is(err, planner.ErrNotFound):
				o.show(nil)
			case err != nil:
				d.Log.WithError(err).Warn("load the organization kit")
				o.say(errorText(err))
			default:
				o.show(&rec)
			}
		})
	})
}

// show lists what the kit in use holds; nil is none.
func (o *orgSection) show(rec *planner.OrgKitRecord) {
	o.record = rec
	if rec == nil {
		o.info.Hide()
		o.none.Show()
		return
	}
	o.none.Hide()
	k := rec.Kit
	loc := o.s.userZone.loc
	received := rec.Received.In(loc)
	came := lang.X("org.received_at", "{{.Day}} {{.Time}} from {{.Source}}", map[string]any{
		"Day": dayLabel(received, o.s.deps.Lang) + " " + received.Format("2006"), "Time": clock(received), "Source": rec.Source})
	items := []*widget.FormItem{
		orgItem(lang.X("org.organization", "Organization"), k.Organization),
		orgItem(lang.X("org.received", "Received"), came),
	}
	if !k.Made.IsZero() {
		made := k.Made.In(loc)
		items = append(items, orgItem(lang.X("org.made", "Made"), dayLabel(made, o.s.deps.Lang)+" "+made.Format("2006")))
	}
	var goals []string
	for _, g := range k.Goals {
		goals = append(goals, "• "+g.Title)
	}
	items = append(items, orgItem(lang.X("org.goals", "Goals"), orNone(strings.Join(goals, "\n"))))
	var rules []string
	if g := k.Guidelines; g.Disclosure != "" {
		rules = append(rules, lang.X("org.disclosure", "Every post carries {{.Text}}", map[string]any{"Text": g.Disclosure}))
	}
	if len(k.Guidelines.AvoidWords) > 0 {
		rules = append(rules, lang.X("org.avoid", "Words to avoid: {{.Words}}", map[string]any{"Words": strings.Join(k.Guidelines.AvoidWords, ", ")}))
	}
	items = append(items, orgItem(lang.X("org.guidelines", "Guidelines"), orNone(strings.Join(rules, "\n"))))
	items = append(items, orgItem(lang.X("org.hashtags", "Hashtags"), orNone(strings.Join(k.Hashtags, " "))))
	var feeds []string
	for _, f := range k.Feeds {
		name := f.Title
		if name == "" {
			name = f.URL
		}
		feeds = append(feeds, "• "+name)
	}
	items = append(items, orgItem(lang.X("org.feeds", "Feeds"), orNone(strings.Join(feeds, "\n"))))
	var networks []string
	for _, n := range k.Networks {
		networks = append(networks, n.DisplayName())
	}
	items = append(items, orgItem(lang.X("org.networks", "Networks"), orNone(strings.Join(networks, ", "))))
	o.info.Items = items
	o.info.Refresh()
	o.info.Show()
}

func orgItem(name, value string) *widget.FormItem {
	return widget.NewFormItem(name, &widget.Label{Text: value, Wrapping: fyne.TextWrapWord})
}

func orNone(s string) string {
	if s == "" {
		return lang.X("org.nothing", "—")
	}
	return s
}

func (o *orgSection) say(msg string) {
	o.note.SetText(msg)
	o.note.Show()
}

func (o *orgSection) askFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(o.s.win, o.s.deps.Log, "choose kit file", err)
			return
		}
		if rc == nil {
			return
		}
		o.importFrom(rc.URI().Name(), func(context.Context) ([]byte, error) {
			defer rc.Close()
			return readKit(rc)
		})
	}, o.s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// readKit reads a kit's bytes, refusing a file far larger than a kit.
func readKit(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, planner.MaxOrgKitBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the kit: %w", err)
	}
	return data, nil
}

func (o *orgSection) askAddress() {
	askAddress(o.s.win, addressQuestion{
		title:       lang.X("org.import_address.title", "Import the organization's kit"),
		confirm:     lang.X("org.import", "Import"),
		label:       lang.X("org.address", "Address"),
		placeholder: "https://…/kaiku-kit.json",
		size:        fyne.NewSize(520, 200),
	}, o.ImportAddress)
}

// ImportAddress imports the kit at a web address.
func (o *orgSection) ImportAddress(address string) {
	address = strings.TrimSpace(address)
	if !planner.WebAddress(address) {
		dialog.ShowInformation(lang.X("org.import_address.title", "Import the organization's kit"),
			lang.X("org.bad_address", "Give the kit's web address, starting with https://."), o.s.win)
		return
	}
	fetchKit := o.s.deps.FetchKit
	o.say(lang.X("org.fetching", "Fetching the kit from {{.URL}}…", map[string]any{"URL": address}))
	o.importFrom(address, func(context.Context) ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), kitFetchTimeout)
		defer cancel()
		return fetchKit(ctx, address)
	})
}

// ImportFile imports the kit read from r, named source.
func (o *orgSection) ImportFile(source string, r io.Reader) {
	o.importFrom(source, func(context.Context) ([]byte, error) { return readKit(r) })
}

// importFrom reads a kit with get and checks it in the background, then
// applies it in the write lane: fetching a kit from a slow site does not
// hold up the saving of posts. A kit that is broken or from a newer Kaiku
// is refused whole, with its reason, and nothing is written.
func (o *orgSection) importFrom(source string, get func(context.Context) ([]byte, error)) {
	d := o.s.deps
	store := o.store()
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		data, err := get(ctx)
		var kit planner.OrgKit
		if err == nil {
			kit, err = planner.ParseOrgKit(data)
		}
		if err != nil {
			d.do(func() { o.refused(source, err) })
			return
		}
		d.write(func() { o.apply(store, kit, source) })
	})
}

// apply imports a checked kit, in the write lane, and shows what it did.
func (o *orgSection) apply(store planner.Store, kit planner.OrgKit, source string) {
	d := o.s.deps
	ctx, cancel := d.ctx()
	defer cancel()
	res, err := planner.ImportOrgKit(ctx, store, kit, source, d.now())
	d.do(func() {
		if err != nil && res.Record.Received.IsZero() {
			o.refused(source, err)
			return
		}
		if err != nil {
			showError(o.s.win, d.Log, "add the kit's feeds", err) // the kit is in
		}
		rec := res.Record
		o.show(&rec)
		if res.Unchanged {
			o.say(lang.X("org.unchanged", "The kit of {{.Org}} is in use already; nothing changed.", map[string]any{"Org": kit.Organization}))
			return
		}
		msg := lang.X("org.imported", "Imported the kit of {{.Org}}: {{.Added}} goals added ({{.Kept}} were here already), its guidelines in use, {{.Hashtags}} hashtags to suggest.",
			map[string]any{"Org": kit.Organization, "Added": len(res.Goals), "Kept": res.KeptGoals, "Hashtags": len(kit.Hashtags)})
		if res.FeedsAdded > 0 {
			msg += " " + lang.X("org.feeds_added", "Feeds added to the reading list: {{.N}}.", map[string]any{"N": res.FeedsAdded})
		}
		o.say(msg)
		o.s.changed.emit()
	})
}

// refused says why the kit was not imported.
func (o *orgSection) refused(source string, err error) {
	o.note.Hide()
	msg, ok := planner.ExplainOrgKit(err, source, lang.X)
	if !ok {
		showError(o.s.win, o.s.deps.Log, "import organization kit", err)
		return
	}
	o.s.deps.Log.WithError(err).Info("organization kit refused")
	dialog.ShowInformation(lang.X("org.refused", "Kit not imported"), msg, o.s.win)
}

// askExport asks for the organization's name when no kit names it, then
// for the file.
func (o *orgSection) askExport() {
	if o.record != nil && o.record.Kit.Organization != "" {
		o.chooseExportFile("")
		return
	}
	name := newKeyEntry(o.s.win)
	showForm(lang.X("org.export.title", "Export the organization's kit"), lang.X("org.export.next", "Next"), lang.X("dialog.cancel", "Cancel"),
		[]*widget.FormItem{{Text: lang.X("org.organization", "Organization"), Widget: name, HintText: lang.X("org.export.hint", "The kit carries your goals and guidelines; no posts, accounts or anything else of yours.")}},
		func(ok bool) {
			if ok {
				o.chooseExportFile(strings.TrimSpace(name.Text))
			}
		}, o.s.win)
}

func (o *orgSection) chooseExportFile(organization string) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			showError(o.s.win, o.s.deps.Log, "choose kit file", err)
			return
		}
		if wc != nil {
			o.Export(organization, wc)
		}
	}, o.s.win)
	d.SetFileName("kaiku-kit.json")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// Export makes a kit of the goals and guidelines in use (the name, hashtags,
// networks and feeds of the last kit unless organization is given) and
// writes it to wc.
func (o *orgSection) Export(organization string, wc fyne.URIWriteCloser) {
	d := o.s.deps
	d.background(func() {
		ctx, cancel := d.ctx()
		defer cancel()
		kit, err := planner.ExportOrgKit(ctx, o.store(), planner.OrgKitContent{Organization: organization}, d.now())
		var buf bytes.Buffer
		if err == nil {
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			err = enc.Encode(kit)
		}
		d.do(func() {
			if err != nil {
				wc.Close()
				if msg, ok := planner.ExplainOrgKit(err, "", lang.X); ok {
					dialog.ShowError(errors.New(msg), o.s.win)
					return
				}
				showError(o.s.win, d.Log, "export organization kit", err)
				return
			}
			writeFile(d, o.s.win, "export organization kit", wc, buf.Bytes(), func(u fyne.URI) {
				name := u.Path()
				o.say(lang.X("org.exported", "The kit is in {{.File}}: hand it to your organization's experts.", map[string]any{"File": name}))
			})
		})
	})
}
