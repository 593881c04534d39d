package ui

import (
	"net/url"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// NewShare starts a post that shares a reading-list item with the user's
// comment: the item's title with a credit to its source (the feed's title;
// empty names the site) and its link, purpose share, in the next free
// share slot. The post remembers the item, and the cursor waits where the
// comment goes, before the credit.
func (c *Composer) NewShare(it planner.Item, source string) {
	if strings.TrimSpace(source) == "" {
		if u, err := url.Parse(it.URL); err == nil {
			source = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	text, end := planner.ShareText("", it, source)
	c.Edit(planner.Post{Status: planner.StatusDraft, Purpose: planner.PurposeShare, SourceItem: it.ID})
	c.setParts([]string{text})
	c.markDirty()
	c.updateChecks()
	before := text[:end]
	c.text.CursorRow = strings.Count(before, "\n")
	c.text.CursorColumn = len([]rune(before[strings.LastIndex(before, "\n")+1:]))
	c.text.Refresh()
}

// ShareItem opens the composer on a new post that shares the item, as
// "Share with comment" in the reading list does; source names the item's
// feed.
func (w *Window) ShareItem(it planner.Item, source string) {
	c := w.Composer()
	c.Save()
	c.NewShare(it, source)
	w.nav.SelectIndex(screenCompose)
	w.Canvas().Focus(c.text)
}

// showHashtags offers the organization kit's recommended hashtags that
// the text does not have yet; a tap adds one at the end.
func (c *Composer) showHashtags() {
	all := strings.ToLower(strings.Join(c.partTexts(), "\n"))
	var objs []fyne.CanvasObject
	for _, tag := range c.hashtags {
		if strings.Contains(all, strings.ToLower(tag)) {
			continue
		}
		tag := tag
		objs = append(objs, &widget.Button{Text: tag, Importance: widget.LowImportance, OnTapped: func() { c.addHashtag(tag) }})
	}
	if len(objs) == 0 || !c.post.Status.Editable() && c.post.ID != "" {
		c.tagsRow.Hide()
		return
	}
	label := &widget.Label{Text: lang.X("compose.hashtags", "Your organization suggests:"), SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance}
	c.tagsRow.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, label, nil, container.NewHScroll(container.NewHBox(objs...)))}
	c.tagsRow.Refresh()
	c.tagsRow.Show()
}

// addHashtag adds tag at the end of the last part.
func (c *Composer) addHashtag(tag string) {
	e := c.boxes[len(c.boxes)-1].entry
	sep := " "
	if strings.TrimSpace(e.Text) == "" || strings.HasSuffix(e.Text, " ") || strings.HasSuffix(e.Text, "\n") {
		sep = ""
	}
	e.insertAtEnd(sep + tag)
	c.win.Canvas().Focus(e)
}

// kitHashtags are the stored kit's recommended hashtags, none without a kit.
func kitHashtags(rec planner.OrgKitRecord, err error) []string {
	if err != nil {
		return nil
	}
	return slices.Clone(rec.Kit.Hashtags)
}
