// Package accounts links the user's social-media accounts to Kaiku and
// makes the publishers the outbox sends posts through. It is where Kaiku's
// network packages meet: accounts/x, accounts/mastodon, accounts/bluesky
// and accounts/linkedin speak to the networks, accounts/vault keeps the
// secrets, accounts/outbox publishes without ever sending a post twice,
// and accounts/explain says what happened in the user's words.
//
//   - Manager links accounts: X with OAuth 1.0a (LinkX: a PIN, or a
//     one-shot loopback server), Mastodon with OAuth 2.0 and PKCE where the
//     server has it (LinkMastodon: the loopback return, or a code typed in),
//     Bluesky with an app password (LinkBluesky), LinkedIn through the
//     user's own LinkedIn app (LinkLinkedIn). It keeps their secrets in the
//     OS keyring or, where none answers, in a 0600 secrets.json in the data
//     folder (SecretsFile), checks and unlinks accounts (revoking Kaiku's
//     access where the network can), and gives each account's publisher to
//     the outbox (NewOutbox).
//   - ComposeURL opens a network's own composer for posting by hand.
//
// Messages for the user are translation keys (Error.Key, Post.LastError,
// Event.Key) listed by TranslationKeys, with English fallbacks from Message.
// Secrets never reach the store, the log or an error.
package accounts
