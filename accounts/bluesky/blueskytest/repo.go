package blueskytest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// RepoPostTexts reads the post records of a repository on a real PDS
// (com.atproto.repo.listRecords, which needs no session), page by page, and
// counts them by text, keeping those whose text has mark: what live tests
// check that each post reached the server once.
func RepoPostTexts(ctx context.Context, pds, did, mark string) (map[string]int, error) {
	texts := map[string]int{}
	cursor := ""
	for {
		q := url.Values{"repo": {did}, "collection": {"app.bsky.feed.post"}, "limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, pds+"/xrpc/com.atproto.repo.listRecords?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var page struct {
			Cursor  string `json:"cursor"`
			Records []struct {
				Value struct {
					Text string `json:"text"`
				} `json:"value"`
			} `json:"records"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("listRecords answered %s: %w", resp.Status, err)
		}
		for _, r := range page.Records {
			if strings.Contains(r.Value.Text, mark) {
				texts[r.Value.Text]++
			}
		}
		if page.Cursor == "" || len(page.Records) == 0 {
			return texts, nil
		}
		cursor = page.Cursor
	}
}
