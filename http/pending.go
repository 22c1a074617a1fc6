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
}

// pendingPage is a page whose analysis has not landed yet.
type pendingPage struct {
	Path, Nav, Title, Package, What string
}

// PageTitle is the page's title.
func (p pendingPage) PageTitle() string { return p.Title }

func pendingPages() []page {
	var ps []page
	for _, p := range pending {
		p := p
		ps = append(ps, page{Path: p.Path, Template: "pending", Nav: p.Nav, load: func(r *nethttp.Request) (any, error) {
			if _, err := pageQuery(r, nil); err != nil {
				return nil, err
			}
			return p, nil
		}})
	}
	return ps
}
