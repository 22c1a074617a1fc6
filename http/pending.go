package http

import nethttp "net/http"

// Capabilities being built elsewhere in the project. Each gets a page that
// says what it will show and which package it waits for; when the package
// lands, its page replaces the placeholder here (one handler file and one
// template) and its endpoints join the list in NewServer.
var pending = []pendingPage{
	{Path: "/coalitions", Nav: "Coalition builder", Title: "Coalition builder", Package: "blocs/",
		What: "Pick seed states and an issue to see suggested partners, the coalition's cohesion and the votes that decide it; the address will hold your choices so that it can be shared."},
	{Path: "/blocs", Nav: "Blocs map", Title: "Blocs map", Package: "blocs/",
		What: "A world map coloured by voting bloc for a chosen year, with a year slider and the list of blocs with their core and swing states."},
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
