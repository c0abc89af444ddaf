package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// Participant is one anonymous browser: its own cookie jar (the gs_p participant cookie and the
// CSRF cookie) and the CSRF token it sends back with every write.
type Participant struct {
	client *http.Client
	base   string
	csrf   string
}

// NewTransport is a transport for many participants talking to one loopback server.
func NewTransport(conns int) *http.Transport {
	return &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 90 * time.Second}
}

// Join visits the home page of the server at base, as a new browser does, and keeps the
// cookies it is given.
func Join(ctx context.Context, base string, rt http.RoundTripper) (*Participant, error) {
	jar, _ := cookiejar.New(nil) // never fails without options
	p := &Participant{base: base, client: &http.Client{
		Transport: rt, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	status, err := p.Get(ctx, "/")
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET / answered %d", status)
	}
	u, _ := url.Parse(base)
	for _, c := range jar.Cookies(u) {
		if c.Name == "gs_csrf" {
			p.csrf = c.Value
		}
	}
	if p.csrf == "" {
		return nil, fmt.Errorf("GET / set no gs_csrf cookie")
	}
	return p, nil
}

// Get fetches path and reads the whole answer, returning the status.
func (p *Participant) Get(ctx context.Context, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+path, nil)
	if err != nil {
		return 0, err
	}
	return p.do(req)
}

// Vote casts value (up, down or clear) on an idea as a script does, asking for JSON. A 200 or
// 303 answer means the server acknowledged the vote.
func (p *Participant) Vote(ctx context.Context, idea int64, value string) (int, error) {
	form := url.Values{"value": {value}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/ideas/%d/vote", p.base, idea), strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", p.csrf)
	return p.do(req)
}

// WithBase is the same browser (cookies and token) talking to another server: two instances
// sharing one database and one secret key accept each other's cookies.
func (p *Participant) WithBase(base string) *Participant {
	q := *p
	q.base = base
	c := *p.client
	q.client = &c
	return &q
}

// WithTransport is the same browser using another transport.
func (p *Participant) WithTransport(rt http.RoundTripper) *Participant {
	q := *p
	c := *p.client
	c.Transport = rt
	q.client = &c
	return &q
}

func (p *Participant) do(req *http.Request) (int, error) {
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, fmt.Errorf("read the answer: %w", err)
	}
	return resp.StatusCode, nil
}

// Acknowledged says whether a write's status means the server took it.
func Acknowledged(status int) bool { return status == http.StatusOK || status == http.StatusSeeOther }
