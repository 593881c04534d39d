package accounts

import (
	"net/url"
	"strings"

	"github.com/kaiku-app/kaiku/accounts/explain"
	"github.com/kaiku-app/kaiku/planner"
)

// DefaultMastodonInstance is the Mastodon server ComposeURL uses when the
// user has not named theirs.
const DefaultMastodonInstance = "mastodon.social"

// ComposeURL is the network's own composer, prefilled with text, for
// posting by hand where no account is linked: X's intent, LinkedIn's share,
// Bluesky's intent, or the Mastodon instance's share page (instance is a
// host like mastodon.social; "" uses DefaultMastodonInstance; the other
// networks ignore it).
func ComposeURL(network planner.Network, text, instance string) (string, error) {
	q := strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
	switch network {
	case planner.NetworkX:
		return "https://x.com/intent/post?text=" + q, nil
	case planner.NetworkLinkedIn:
		return "https://www.linkedin.com/feed/?shareActive=true&text=" + q, nil
	case planner.NetworkBluesky:
		return "https://bsky.app/intent/compose?text=" + q, nil
	case planner.NetworkMastodon:
		host, err := mastodonHost(instance)
		if err != nil {
			return "", err
		}
		return "https://" + host + "/share?text=" + q, nil
	}
	return "", explain.New(explain.HandNetwork, planner.ErrInvalid)
}

// mastodonHost reads an instance as people write it: mastodon.social,
// https://mastodon.social/ or @name@mastodon.social.
func mastodonHost(instance string) (string, error) {
	s := strings.TrimSpace(instance)
	if s == "" {
		return DefaultMastodonInstance, nil
	}
	if i := strings.LastIndex(s, "@"); i >= 0 && !strings.Contains(s, "/") {
		s = s[i+1:]
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || strings.Trim(u.Path, "/") != "" ||
		!strings.Contains(u.Hostname(), ".") || strings.ContainsAny(u.Host, " \t") {
		return "", explain.New(explain.Instance, planner.ErrInvalid)
	}
	return strings.ToLower(u.Host), nil
}
