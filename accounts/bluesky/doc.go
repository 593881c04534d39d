// Package bluesky speaks the AT Protocol to a Bluesky account's PDS (the
// server that holds its repository): signing in with an app password,
// refreshing the session before its access token ends, finding the PDS
// from the account's DID document, writing app.bsky.feed.post records with
// facets (links, hashtags, mentions) in UTF-8 byte offsets, reply refs and
// languages, reading them back, uploading blobs, and link cards.
//
// Never twice: the client chooses each post's record key (a TID, NewTID)
// and writes with com.atproto.repo.putRecord, so that a repeat of the same
// record is a no-op; after a write of unknown fate, GetPost with the same
// key tells whether it went through.
//
// Every failure is a *remote.Error (see package remote for the kinds).
package bluesky
