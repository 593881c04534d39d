package accounts

import (
	"sort"
)

// Translation keys of what the package tells the user.
const (
	keyKeysRequired = "link.error.keys_required"
	keyAPIBase      = "link.error.api_base"
	keyConsumer     = "link.error.consumer"
	keyPIN          = "link.error.pin"
	keyDenied       = "link.error.denied"
	keyLinkNetwork  = "link.error.network"
	keyLinkServer   = "link.error.server"
	keyPort         = "link.error.port"
	keyCallback     = "link.error.callback"
	keyProject      = "link.error.project"
	keyNotLoopback  = "link.error.not_loopback"
	keySaveSecrets  = "link.error.secrets"
	keyLinkFinished = "link.error.finished"
	keyUnsupported  = "link.error.unsupported"

	keySecretsFile        = "accounts.secrets.file"
	keySecretsDamagedFile = "accounts.secrets.damaged"
	keyLinkedAs           = "accounts.linked_as"
	keyCheckOK            = "accounts.check.ok"
	keyUnlinkSecrets      = "accounts.error.unlink"
	keyLoopbackDone       = "accounts.loopback.done"
	keyLoopbackDenied     = "accounts.loopback.denied"

	keyPublished      = "outbox.published"
	keyManualDue      = "outbox.manual_due"
	keyRelink         = "outbox.error.relink"
	keyPermission     = "outbox.error.permission"
	keyDuplicate      = "outbox.error.duplicate"
	keyRejected       = "outbox.error.rejected"
	keyTooLong        = "outbox.error.too_long"
	keyRateLimited    = "outbox.error.rate_limited"
	keyServer         = "outbox.error.server"
	keyOffline        = "outbox.error.offline"
	keyInterrupted    = "outbox.error.interrupted"
	keyAccountGone    = "outbox.error.account_gone"
	keyNoAccount      = "outbox.error.no_account"
	keySecrets        = "outbox.error.secrets"
	keySecretsDamaged = "outbox.error.secrets_damaged"
	keyState          = "outbox.error.state"
	keyLateAsk        = "outbox.late.ask"
	keyLateSkipped    = "outbox.late.skipped"
	keyHandURL        = "hand.error.url"
	keyHandInstance   = "hand.error.instance"
	keyHandNetwork    = "hand.error.network"
	keyActionPrefix   = "outbox.action."
	keyUnexpected     = "outbox.error.unexpected"
)

// messages are the English texts, the fallback where no translation is loaded.
var messages = map[string]string{
	keyKeysRequired: "Enter your X app's API key and API key secret.",
	keyAPIBase:      "The API address must be an https:// address (http:// only for this computer).",
	keyConsumer:     "X did not accept the API key and secret. Copy them again from your app's “Keys and tokens” page in the X developer portal.",
	keyPIN:          "X did not accept the PIN. Start linking again and enter the new PIN.",
	keyDenied:       "Linking was cancelled in the browser. Start again when you are ready.",
	keyLinkNetwork:  "Kaiku could not reach X. Check your internet connection and try again.",
	keyLinkServer:   "X did not answer as expected. Try again in a while.",
	keyPort:         "Kaiku could not listen for the browser's return on this computer. Close the program using the address, or link with a PIN.",
	keyCallback:     "X refused Kaiku's return address. In the X developer portal, add http://127.0.0.1:47811/callback to your app's callback URLs, or link with a PIN.",
	keyProject:      "X refused access to its API for your app. In the X developer portal, make sure the app belongs to a project and may read and write, then link again.",
	keyNotLoopback:  "This link waits for a PIN, not for the browser.",
	keySaveSecrets:  "Kaiku could not store the account's keys. Check that the data folder is writable, then link again.",
	keyUnsupported:  "Kaiku cannot publish to this network yet. Post by hand instead.",
	keyLinkFinished: "This linking is over: it was finished or cancelled. Start linking again.",

	keySecretsFile:        "No system keyring answered, so Kaiku keeps your account keys in a file only your user can read: {{.Path}}",
	keySecretsDamagedFile: "The file that keeps your account keys, {{.Path}}, is damaged and Kaiku cannot read it. Link your accounts again: Kaiku keeps the damaged file beside the new one as {{.Path}}.damaged.",
	keyLinkedAs:           "Linked as @{{.Handle}}.",
	keyCheckOK:            "The account works: X answered as @{{.Handle}}.",
	keyUnlinkSecrets:      "Kaiku could not remove the account's keys. Try again; the account stays linked until they are gone.",
	keyLoopbackDone:       "Kaiku got the answer from X. You can close this tab and return to Kaiku.",
	keyLoopbackDenied:     "Linking was cancelled. You can close this tab.",

	keyPublished:      "The post was published.",
	keyManualDue:      "It is time to post this by hand.",
	keyRelink:         "X no longer accepts Kaiku's access to this account. Link the account again; the post stays scheduled and goes out once it is linked.",
	keyPermission:     "Your X app may only read. In the X developer portal, set the app's permissions to “Read and write”, then link the account again; the post stays scheduled.",
	keyDuplicate:      "X refused the post because it repeats the text of a recent post. Change the text and schedule it again.",
	keyRejected:       "X refused the post. Change it as X's reason says and schedule it again.",
	keyTooLong:        "A part of the post is too long for X. Shorten it or split it into a thread, then schedule it again.",
	keyRateLimited:    "X's limit on posting was reached. The post stays scheduled and Kaiku tries again when the limit resets.",
	keyServer:         "X had trouble and did not take the post. It stays scheduled and Kaiku tries again.",
	keyOffline:        "Kaiku could not reach X. The post stays in the queue and goes out when the connection is back.",
	keyInterrupted:    "Kaiku could not tell whether the post went out. Look at your profile on X, then mark the post published or publish it again.",
	keyAccountGone:    "The account this post was to go to is no longer linked. Choose another account, or post by hand.",
	keyNoAccount:      "The post has no linked account to go to. Choose an account, or post by hand.",
	keySecrets:        "Kaiku could not read the account's keys from the system keyring. Unlock the keyring; the post stays scheduled.",
	keySecretsDamaged: "The account's keys stored on this computer are damaged, so Kaiku cannot use the account. Link the account again; the post stays scheduled and goes out once it is linked.",
	keyState:          "The post's current status does not allow that.",
	keyLateAsk:        "This post fell due while Kaiku was closed. Publish it now, give it a new time or skip it.",
	keyLateSkipped:    "This post fell due while Kaiku was closed and was skipped, as your settings ask.",
	keyHandURL:        "The post's address must start with https://.",
	keyHandInstance:   "Write your Mastodon server's address, like mastodon.social.",
	keyHandNetwork:    "Kaiku does not know how to open that network's composer.",
	keyUnexpected:     "Publishing failed unexpectedly. Try again; if it keeps failing, look at Kaiku's log.",

	keyActionPrefix + string(ActionPublish):     "publish",
	keyActionPrefix + string(ActionPublishLate): "publish late",
	keyActionPrefix + string(ActionAsk):         "fell due while closed: ask",
	keyActionPrefix + string(ActionSkip):        "fell due while closed: skip",
	keyActionPrefix + string(ActionManual):      "post by hand",
	keyActionPrefix + string(ActionWait):        "wait",
	keyActionPrefix + string(ActionCheck):       "check whether it went out",
}

// Message returns the English text of a translation key the package uses,
// for use as the fallback of a translation; an unknown key comes back as is.
func Message(key string) string {
	if m, ok := messages[key]; ok {
		return m
	}
	return key
}

// TranslationKeys lists, sorted, every translation key the package can hand
// to the app: errors, post states and notifications.
func TranslationKeys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
