package explain

// The keys. A constant with a per-network variant (see For) is the X
// message's key; the others' keys end in ".mastodon", ".bluesky" or
// ".linkedin".
const (
	// Linking.
	KeysRequired   = "link.error.keys_required" // and .linkedin
	APIBase        = "link.error.api_base"
	Consumer       = "link.error.consumer"
	PIN            = "link.error.pin"
	Denied         = "link.error.denied"
	LinkNetwork    = "link.error.network" // per network
	LinkServer     = "link.error.server"  // per network
	Port           = "link.error.port"    // and .mastodon, .linkedin
	Callback       = "link.error.callback"
	Project        = "link.error.project"
	NotLoopback    = "link.error.not_loopback"
	SaveSecrets    = "link.error.secrets"
	LinkFinished   = "link.error.finished"
	Unsupported    = "link.error.unsupported"
	Code           = "link.error.code"     // .mastodon, .linkedin
	Refused        = "link.error.refused"  // .mastodon
	Handle         = "link.error.handle"   // .bluesky
	Password       = "link.error.password" // .bluesky
	Inactive       = "link.error.inactive" // .bluesky
	Client         = "link.error.client"   // .linkedin
	LinkPermission = "link.error.permission.linkedin"
	LinkExpired    = "link.error.expired.linkedin"
	Instance       = "hand.error.instance"

	// The accounts.
	SecretsFile        = "accounts.secrets.file"
	SecretsDamagedFile = "accounts.secrets.damaged"
	LinkedAs           = "accounts.linked_as"
	CheckOK            = "accounts.check.ok"
	UnlinkSecrets      = "accounts.error.unlink"
	LoopbackDone       = "accounts.loopback.done" // per network
	LoopbackDenied     = "accounts.loopback.denied"
	NotRevoked         = "accounts.not_revoked.mastodon"

	// Publishing.
	Published      = "outbox.published"
	ManualDue      = "outbox.manual_due"
	Relink         = "outbox.error.relink"     // per network
	Permission     = "outbox.error.permission" // and .linkedin
	Expired        = "outbox.error.expired"    // .linkedin
	Version        = "outbox.error.version"    // .linkedin
	Duplicate      = "outbox.error.duplicate"  // and .linkedin
	Rejected       = "outbox.error.rejected"   // per network
	TooLong        = "outbox.error.too_long"   // per network
	RateLimited    = "outbox.error.rate_limited"
	Server         = "outbox.error.server"          // per network
	Offline        = "outbox.error.offline"         // per network
	Interrupted    = "outbox.error.interrupted"     // per network
	ImageRules     = "outbox.error.images"          // per network
	ImageTooLarge  = "outbox.error.image_too_large" // per network
	ImageMissing   = "outbox.error.image_missing"
	ImageFailed    = "outbox.error.image_failed" // .linkedin
	ImageBusy      = "outbox.error.image_busy"   // .linkedin
	AccountGone    = "outbox.error.account_gone"
	NoAccount      = "outbox.error.no_account"
	Secrets        = "outbox.error.secrets"
	SecretsDamaged = "outbox.error.secrets_damaged"
	State          = "outbox.error.state"
	LateAsk        = "outbox.late.ask"
	LateSkipped    = "outbox.late.skipped"
	HandURL        = "hand.error.url"
	HandNetwork    = "hand.error.network"
	ActionPrefix   = "outbox.action."
	Unexpected     = "outbox.error.unexpected"
)

// messages are the English texts, the fallback where no translation is loaded.
var messages = map[string]string{
	KeysRequired:               "Enter your X app's API key and API key secret.",
	KeysRequired + ".linkedin": "Enter your LinkedIn app's client ID and client secret: they are on the app's Auth tab in LinkedIn's developer portal.",
	APIBase:                    "The API address must be an https:// address (http:// only for this computer).",
	Consumer:                   "X did not accept the API key and secret. Copy them again from your app's “Keys and tokens” page in the X developer portal.",
	PIN:                        "X did not accept the PIN. Start linking again and enter the new PIN.",
	Denied:                     "Linking was cancelled in the browser. Start again when you are ready.",
	LinkNetwork:                "Kaiku could not reach X. Check your internet connection and try again.",
	LinkNetwork + ".mastodon":  "Kaiku could not reach the Mastodon server. Check its address and your internet connection, and try again.",
	LinkNetwork + ".bluesky":   "Kaiku could not reach Bluesky. Check your internet connection (and the service address, if you gave one) and try again.",
	LinkNetwork + ".linkedin":  "Kaiku could not reach LinkedIn. Check your internet connection and try again.",
	LinkServer:                 "X did not answer as expected. Try again in a while.",
	LinkServer + ".mastodon":   "The Mastodon server did not answer as expected. Check that the address is a Mastodon server's, or try again in a while.",
	LinkServer + ".bluesky":    "Bluesky did not answer as expected. Try again in a while.",
	LinkServer + ".linkedin":   "LinkedIn did not answer as expected. Try again in a while.",
	Port:                       "Kaiku could not listen for the browser's return on this computer. Close the program using the address, or link with a PIN.",
	Port + ".mastodon":         "Kaiku could not listen for the browser's return on this computer. Close the program using the address, or link with a code instead.",
	Port + ".linkedin":         "Kaiku could not listen for the browser's return at the address registered in your LinkedIn app. Close the program using it, or register another port's address in the app and link with that port.",
	Callback:                   "X refused Kaiku's return address. In the X developer portal, add http://127.0.0.1:47811/callback to your app's callback URLs, or link with a PIN.",
	Project:                    "X refused access to its API for your app. In the X developer portal, make sure the app belongs to a project and may read and write, then link again.",
	NotLoopback:                "This link waits for a PIN, not for the browser.",
	SaveSecrets:                "Kaiku could not store the account's keys. Check that the data folder is writable, then link again.",
	Unsupported:                "Kaiku cannot publish to this network yet. Post by hand instead.",
	LinkFinished:               "This linking is over: it was finished or cancelled. Start linking again.",
	Code + ".mastodon":         "The Mastodon server did not accept the sign-in. Start linking again; a code shown in the browser is used once.",
	Code + ".linkedin":         "LinkedIn did not accept the sign-in. Start linking again.",
	Refused + ".mastodon":      "The Mastodon server would not let Kaiku link the account. Try again; if it still refuses, ask the server's administrators.",
	Handle + ".bluesky":        "Enter your Bluesky handle, like name.bsky.social, and an app password.",
	Password + ".bluesky":      "Bluesky did not accept the handle and app password. Check the handle, or make a new app password in Bluesky's Settings → Privacy and security → App passwords.",
	Inactive + ".bluesky":      "Bluesky says the account is not active (deactivated or suspended), so Kaiku cannot post through it.",
	Client + ".linkedin":       "LinkedIn did not accept the client ID and secret. Copy them again from your app's Auth tab in LinkedIn's developer portal.",
	LinkPermission:             "Your LinkedIn app may not do what Kaiku needs. In LinkedIn's developer portal, add the products “Sign In with LinkedIn using OpenID Connect” and “Share on LinkedIn” to the app, then link again.",
	LinkExpired:                "The LinkedIn link has ended: LinkedIn's links last 60 days. Link the account again.",
	Instance:                   "Write your Mastodon server's address, like mastodon.social.",

	SecretsFile:                "No system keyring answered, so Kaiku keeps your account keys in a file only your user can read: {{.Path}}",
	SecretsDamagedFile:         "The file that keeps your account keys, {{.Path}}, is damaged and Kaiku cannot read it. Link your accounts again: Kaiku keeps the damaged file beside the new one as {{.Path}}.damaged.",
	LinkedAs:                   "Linked as {{.Handle}}.",
	CheckOK:                    "The account works: {{.Network}} answered as {{.Handle}}.",
	UnlinkSecrets:              "Kaiku could not remove the account's keys. Try again; the account stays linked until they are gone.",
	LoopbackDone:               "Kaiku got the answer from X. You can close this tab and return to Kaiku.",
	LoopbackDone + ".mastodon": "Kaiku got the answer from the Mastodon server. You can close this tab and return to Kaiku.",
	LoopbackDone + ".linkedin": "Kaiku got the answer from LinkedIn. You can close this tab and return to Kaiku.",
	LoopbackDenied:             "Linking was cancelled. You can close this tab.",
	NotRevoked:                 "The Mastodon server could not be told to end Kaiku's access. Remove Kaiku from the authorized apps in your account's settings on the server.",

	Published:                   "The post was published.",
	ManualDue:                   "It is time to post this by hand.",
	Relink:                      "X no longer accepts Kaiku's access to this account. Link the account again; the post stays scheduled and goes out once it is linked.",
	Relink + ".mastodon":        "The Mastodon server no longer accepts Kaiku's access to this account. Link the account again; the post stays scheduled and goes out once it is linked.",
	Relink + ".bluesky":         "Bluesky no longer accepts Kaiku's session for this account. Link the account again with an app password; the post stays scheduled and goes out once it is linked.",
	Relink + ".linkedin":        "LinkedIn no longer accepts Kaiku's access to this account. Link the account again; the post stays scheduled and goes out once it is linked.",
	Permission:                  "Your X app may only read. In the X developer portal, set the app's permissions to “Read and write”, then link the account again; the post stays scheduled.",
	Permission + ".linkedin":    "LinkedIn did not let your LinkedIn app post. In LinkedIn's developer portal, add the product “Share on LinkedIn” to the app, then link the account again; the post stays scheduled.",
	Expired + ".linkedin":       "The LinkedIn link has ended: LinkedIn's links last 60 days. Link the account again; the post stays scheduled and goes out once it is linked.",
	Version + ".linkedin":       "LinkedIn no longer serves the version of its API that this Kaiku speaks. Update Kaiku, then publish the post again.",
	Duplicate:                   "X refused the post because it repeats the text of a recent post. Change the text and schedule it again.",
	Duplicate + ".linkedin":     "LinkedIn refused the post because you posted the same text recently. Change the text and schedule it again.",
	Rejected:                    "X refused the post. Change it as X's reason says and schedule it again.",
	Rejected + ".mastodon":      "The Mastodon server refused the post. Change it as the server's reason says and schedule it again.",
	Rejected + ".bluesky":       "Bluesky refused the post. Change it as Bluesky's reason says and schedule it again.",
	Rejected + ".linkedin":      "LinkedIn refused the post. Change it as LinkedIn's reason says and schedule it again.",
	TooLong:                     "A part of the post is too long for X. Shorten it or split it into a thread, then schedule it again.",
	TooLong + ".mastodon":       "A part of the post is too long for the Mastodon server. Shorten it or split it into a thread, then schedule it again.",
	TooLong + ".bluesky":        "A part of the post is too long for Bluesky. Shorten it or split it into a thread, then schedule it again.",
	TooLong + ".linkedin":       "The post is too long for LinkedIn, where a thread goes as one post. Shorten it, then schedule it again.",
	RateLimited:                 "X's limit on posting was reached. The post stays scheduled and Kaiku tries again when the limit resets.",
	RateLimited + ".mastodon":   "The Mastodon server's limit on posting was reached. The post stays scheduled and Kaiku tries again when the limit resets.",
	RateLimited + ".bluesky":    "Bluesky's limit on posting was reached. The post stays scheduled and Kaiku tries again when the limit resets.",
	RateLimited + ".linkedin":   "LinkedIn's daily limit on posting was reached. The post stays scheduled and Kaiku tries again when the limit resets.",
	Server:                      "X had trouble and did not take the post. It stays scheduled and Kaiku tries again.",
	Server + ".mastodon":        "The Mastodon server had trouble and did not take the post. It stays scheduled and Kaiku tries again.",
	Server + ".bluesky":         "Bluesky had trouble and did not take the post. It stays scheduled and Kaiku tries again.",
	Server + ".linkedin":        "LinkedIn had trouble and did not take the post. It stays scheduled and Kaiku tries again.",
	Offline:                     "Kaiku could not reach X. The post stays in the queue and goes out when the connection is back.",
	Offline + ".mastodon":       "Kaiku could not reach the Mastodon server. The post stays in the queue and goes out when the connection is back.",
	Offline + ".bluesky":        "Kaiku could not reach Bluesky. The post stays in the queue and goes out when the connection is back.",
	Offline + ".linkedin":       "Kaiku could not reach LinkedIn. The post stays in the queue and goes out when the connection is back.",
	Interrupted:                 "Kaiku could not tell whether the post went out. Look at your profile on X, then mark the post published or publish it again.",
	Interrupted + ".mastodon":   "Kaiku could not tell whether the post went out. Look at your profile on the Mastodon server, then mark the post published or publish it again.",
	Interrupted + ".bluesky":    "Kaiku could not tell whether the post went out. Look at your profile on Bluesky, then mark the post published or publish it again.",
	Interrupted + ".linkedin":   "Kaiku could not tell whether the post went out. Look at your profile on LinkedIn, then mark the post published or publish it again.",
	ImageRules:                  "X does not take the post's images: too many in one post, or an alt text too long. Change them as the post's check says, then schedule it again.",
	ImageRules + ".mastodon":    "The Mastodon server does not take the post's images: too many in one post, or an alt text too long. Change them as the post's check says, then schedule it again.",
	ImageRules + ".bluesky":     "Bluesky does not take the post's images: too many in one post, or an alt text too long. Change them as the post's check says, then schedule it again.",
	ImageRules + ".linkedin":    "LinkedIn does not take the post's images: too many in one post, or an alt text too long. Change them as the post's check says, then schedule it again.",
	ImageTooLarge:               "An image of the post is too large for X even scaled down. Use a smaller image, then schedule the post again.",
	ImageTooLarge + ".mastodon": "An image of the post is too large for the Mastodon server even scaled down. Use a smaller image, then schedule the post again.",
	ImageTooLarge + ".bluesky":  "An image of the post is too large for Bluesky even scaled down. Use a smaller image, then schedule the post again.",
	ImageTooLarge + ".linkedin": "An image of the post is too large for LinkedIn even scaled down. Use a smaller image, then schedule the post again.",
	ImageFailed + ".linkedin":   "LinkedIn could not process an image of the post, so the post was not sent. Save the image again as JPEG or PNG, or choose another, then schedule the post again.",
	ImageBusy + ".linkedin":     "LinkedIn is still processing an image of the post, so the post was not sent yet. It stays scheduled and Kaiku tries again.",
	ImageMissing:                "Kaiku cannot read an image of the post from its data folder: it is missing or damaged. Attach the image again, then schedule the post again.",
	AccountGone:                 "The account this post was to go to is no longer linked. Choose another account, or post by hand.",
	NoAccount:                   "The post has no linked account to go to. Choose an account, or post by hand.",
	Secrets:                     "Kaiku could not read the account's keys from the system keyring. Unlock the keyring; the post stays scheduled.",
	SecretsDamaged:              "The account's keys stored on this computer are damaged, so Kaiku cannot use the account. Link the account again; the post stays scheduled and goes out once it is linked.",
	State:                       "The post's current status does not allow that.",
	LateAsk:                     "This post fell due while Kaiku was closed. Publish it now, give it a new time or skip it.",
	LateSkipped:                 "This post fell due while Kaiku was closed and was skipped, as your settings ask.",
	HandURL:                     "The post's address must start with https://.",
	HandNetwork:                 "Kaiku does not know how to open that network's composer.",
	Unexpected:                  "Publishing failed unexpectedly. Try again; if it keeps failing, look at Kaiku's log.",

	ActionPrefix + "publish":      "publish",
	ActionPrefix + "publish-late": "publish late",
	ActionPrefix + "ask":          "fell due while closed: ask",
	ActionPrefix + "skip":         "fell due while closed: skip",
	ActionPrefix + "manual":       "post by hand",
	ActionPrefix + "wait":         "wait",
	ActionPrefix + "check":        "check whether it went out",
}
