// Package textrules knows how long a post is on each network Kaiku posts to, and
// cuts a text that is too long into a numbered thread.
//
// X is counted the way twitter-text counts (ParseX with V3 or V2): NFC
// normalisation, weighted code points, 23 for every URL, 2 for every emoji
// sequence. Mastodon counts grapheme clusters with 23 for every URL (Kaiku lets
// an account set its instance's limit), Bluesky counts grapheme clusters, and
// LinkedIn counts UTF-16 code units.
//
// The package is pure Go: no cgo, no Fyne.
package textrules

//go:generate go run gen.go
