// Package accounts links the user's social-media accounts to Kaiku and
// publishes through them.
//
//   - Manager links an X account with OAuth 1.0a (LinkX: a PIN, or a
//     one-shot loopback server), keeps its secrets in the OS keyring or, where
//     none answers, in a 0600 secrets.json in the data folder (SecretsFile),
//     checks and unlinks accounts, and makes their Publishers.
//   - Outbox publishes due posts, once (RunDue, DryRun) or while the app runs
//     (Start, Stop), and carries out the user's decisions (PublishNow, Retry,
//     ConfirmPublished, MarkPublishedByHand).
//   - ComposeURL opens a network's own composer for posting by hand.
//
// A post never goes out twice: it is marked publishing, with an attempt ID,
// in storage before each request, and each part of a thread is recorded
// before the next is sent. An attempt a crash interrupted is looked for on
// the network before anything is sent again; when it cannot be found, the
// post waits for the user.
//
// Messages for the user are translation keys (Error.Key, Post.LastError,
// Event.Key) listed by TranslationKeys, with English fallbacks from Message.
// Secrets never reach the store, the log or an error.
package accounts
