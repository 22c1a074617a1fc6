package main

import (
	"encoding/json"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/concord-project/concord/countries"
	"github.com/concord-project/concord/ideal"
)

// jsonMarshal marshals v as JSON.
func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// plotTrajectories draws each state's ideal point over time, with its 90%
// interval as a band when the fit was bootstrapped, to an SVG or PNG file.
func plotTrajectories(file string, res *ideal.Result, codes []string, by ideal.Period) error {
	p := plot.New()
	p.Title.Text = "Ideal points (higher: closer to US positions)"
	p.X.Label.Text = by.String()
	p.Y.Label.Text = "ideal point"
	p.Add(plotter.NewGrid())
	for i, code := range codes {
		tr := res.Trajectory(code)
		line := make(plotter.XYs, len(tr))
		band := make(plotter.XYs, 0, 2*len(tr))
		for k, pt := range tr {
			line[k] = plotter.XY{X: float64(pt.Period), Y: pt.Ideal}
			band = append(band, plotter.XY{X: float64(pt.Period), Y: pt.Hi})
		}
		for k := len(tr) - 1; k >= 0; k-- {
			band = append(band, plotter.XY{X: float64(tr[k].Period), Y: tr[k].Lo})
		}
		c := plotutil.Color(i)
		if res.Options.Bootstrap > 0 {
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return err
			}
			r, g, b, _ := c.RGBA()
			poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			return err
		}
		l.Color = c
		l.Width = vg.Points(1.5)
		p.Add(l)
		name := code
		if s, ok := countries.ByCode(code); ok {
			name = s.Name + " (" + code + ")"
		}
		p.Legend.Add(name, l)
	}
	p.Legend.Left = true
	return p.Save(8*vg.Inch, 5*vg.Inch, file)
}
