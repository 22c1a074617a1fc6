package http

import nethttp "net/http"

// Capabilities being built elsewhere in the project. Each gets a page that
// says what it will show and which package it waits for; when the package
// lands, its page replaces the placeholder here (one handler file and one
// template) and its endpoints join the list in NewServer.
var pending = []pendingPage{
	{Path: "/agreements", Nav: "Agreements", Title: "Agreements", Package: "agreements",
		What: "The treaties and agreements two states share, with their dates, beside how closely they vote."},
	{Path: "/trade", Nav: "Trade", Title: "Trade", Package: "trade/",
		What: "Trade between states (revealed comparative advantage, complementarity) beside their voting alignment."},
	{Path: "/events", Nav: "Events", Title: "Events", Package: "events",
		What: "Diplomatic events between two states coded from news, on a timeline with their evidence."},
	{Path: "/brief", Nav: "Brief", Title: "Relationship brief", Package: "brief",
		What: "One page on two states or a coalition: alignment, positions, agreements, events and trade."},
}

// pendingPage is a page whose analysis has not landed yet.
type pendingPage struct {
	Path, Nav, Title, Package, What string
}

// PageTitle is the page's title.
func (p pendingPage) PageTitle() string { return p.Title }

// pendingPages returns the placeholders of the capabilities that have no page among served yet.
func pendingPages(served []page) []page {
	have := map[string]bool{}
	for _, p := range served {
		have[p.Path] = true
	}
	var ps []page
	for _, p := range pending {
		p := p
		if have[p.Path] {
			continue
		}
		ps = append(ps, page{Path: p.Path, Template: "pending", Nav: p.Nav, load: func(r *nethttp.Request) (any, error) {
			if _, err := pageQuery(r, nil); err != nil {
				return nil, err
			}
			return p, nil
		}})
	}
	return ps
}
