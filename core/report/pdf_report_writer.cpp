// SPDX-License-Identifier: MIT
#include "report/pdf_report_writer.h"

#include "common/format.h"
#include "report/chart_layout.h"
#include "report/html_report_writer.h"
#include "report/report_color.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <QTimeZone>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numbers>

namespace mlwb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mlwb::PdfReportWriter", text);
}

constexpr const char *kFamily = "DejaVu Sans";
constexpr const char *kInk = "#1f2328";
constexpr const char *kMuted = "#59636e";
constexpr const char *kAccent = "#2f5f98";
constexpr const char *kRule = "#d1d9e0";
constexpr const char *kFaintRule = "#e6eaee";
constexpr const char *kHeaderFill = "#eef2f6";
constexpr const char *kZebra = "#f8f9fb";
constexpr const char *kMatrixShade = "#2f6fb0";

constexpr double kBodySize = 9.5;
constexpr double kTableSize = 8.5;
constexpr double kSmallSize = 7.5;
constexpr double kCellPadX = 5;
constexpr double kCellPadY = 3.2;
constexpr double kBlockGap = 10;

struct Page {
    double width, height;
    double left = 56.7, right = 56.7; // 20 mm
    double top = 72, bottom = 62;     // room for header and footer
    double contentWidth() const { return width - left - right; }
    double contentBottom() const { return height - bottom; }
};

struct LayoutDeleter {
    void operator()(PangoLayout *l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

struct FontDeleter {
    void operator()(PangoFontDescription *f) const { pango_font_description_free(f); }
};

struct TextStyle {
    double size = kBodySize;
    bool bold = false;
    bool italic = false;
    QString color = QString::fromLatin1(kInk);
    PangoAlignment align = PANGO_ALIGN_LEFT;
    double width = -1; // wrap width; -1: one line
};

// Pango draws C0 controls as hex boxes and refuses them in markup: a stray byte in a run name
// must not show up as a box or blank a warning.
QString printable(const QString &text)
{
    QString out = text;
    out.removeIf([](QChar c) {
        return c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\t');
    });
    return out;
}

QString isoDate(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('Z');
}

// A table as the PDF draws it (data tables and key/value lists alike).
struct TableModel {
    QString caption;
    QStringList header;
    std::vector<bool> right;
    std::vector<QStringList> rows;
    std::vector<std::vector<bool>> emphasis;
    std::vector<QString> rowColor; // swatch in the first cell; empty: none
    bool keyValue = false;         // first column is a muted label, no header, no zebra
};

cairo_status_t appendToBytes(void *closure, const unsigned char *data, unsigned int length)
{
    static_cast<QByteArray *>(closure)->append(reinterpret_cast<const char *>(data),
                                               qsizetype(length));
    return CAIRO_STATUS_SUCCESS;
}

cairo_status_t discardBytes(void *, const unsigned char *, unsigned int)
{
    return CAIRO_STATUS_SUCCESS;
}

QString cairoError(cairo_status_t status)
{
    return QStringLiteral("PDF: cairo failed: %1 (status %2)")
        .arg(QString::fromUtf8(cairo_status_to_string(status)))
        .arg(int(status));
}

// One pass over the document. The first pass (counting) learns the number of pages and where
// each section starts; the second draws the same pages with "of M" and a contents list.
class Renderer {
public:
    struct Place {
        int page = 0;
        double y = 0;
    };

    Renderer(const ReportDocument &doc, const Page &page, bool counting, int totalPages,
             std::vector<Place> sectionPlaces)
        : m_doc(doc), m_page(page), m_counting(counting), m_totalPages(totalPages),
          m_knownSections(std::move(sectionPlaces))
    {
    }
    ~Renderer()
    {
        if (m_pango)
            g_object_unref(m_pango);
        if (m_cr)
            cairo_destroy(m_cr);
        if (m_surface)
            cairo_surface_destroy(m_surface);
    }
    Renderer(const Renderer &) = delete;
    Renderer &operator=(const Renderer &) = delete;

    Result<void> run(QByteArray *out)
    {
        m_surface = out ? cairo_pdf_surface_create_for_stream(appendToBytes, out, m_page.width,
                                                              m_page.height)
                        : cairo_pdf_surface_create_for_stream(discardBytes, nullptr, m_page.width,
                                                              m_page.height);
        if (cairo_status_t st = cairo_surface_status(m_surface); st != CAIRO_STATUS_SUCCESS)
            return fail(cairoError(st));
        setMetadata();
        m_cr = cairo_create(m_surface);
        m_pango = pango_cairo_create_context(m_cr);
        pango_cairo_context_set_resolution(m_pango, 72); // 1 pt = 1 user unit
        cairo_font_options_t *options = cairo_font_options_create();
        // Unhinted metrics: text measures the same at every scale (charts are scaled).
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(m_pango, options);
        cairo_font_options_destroy(options);

        titlePage();
        for (size_t i = 0; i < m_doc.sections.size(); ++i)
            section(m_doc.sections[i], int(i));
        cairo_show_page(m_cr);
        if (cairo_status_t st = cairo_status(m_cr); st != CAIRO_STATUS_SUCCESS)
            return fail(cairoError(st));
        cairo_surface_finish(m_surface);
        if (cairo_status_t st = cairo_surface_status(m_surface); st != CAIRO_STATUS_SUCCESS)
            return fail(cairoError(st));
        return {};
    }

    int pages() const { return m_pageNumber; }
    const std::vector<Place> &sectionPlaces() const { return m_sections; }

private:
    // --- text ---

    LayoutPtr layout(const QString &text, const TextStyle &style, bool markup = false)
    {
        LayoutPtr l(pango_layout_new(m_pango));
        std::unique_ptr<PangoFontDescription, FontDeleter> font(pango_font_description_new());
        pango_font_description_set_family(font.get(), kFamily);
        pango_font_description_set_absolute_size(font.get(), style.size * PANGO_SCALE);
        pango_font_description_set_weight(font.get(),
                                          style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_style(font.get(),
                                         style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
        pango_layout_set_font_description(l.get(), font.get());
        if (style.width > 0) {
            pango_layout_set_width(l.get(), int(style.width * PANGO_SCALE));
            pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
            pango_layout_set_alignment(l.get(), style.align);
        }
        const QByteArray utf8 = markup ? text.toUtf8() : printable(text).toUtf8();
        if (markup)
            pango_layout_set_markup(l.get(), utf8.constData(), int(utf8.size()));
        else
            pango_layout_set_text(l.get(), utf8.constData(), int(utf8.size()));
        return l;
    }

    static double layoutWidth(PangoLayout *l)
    {
        int w = 0, h = 0;
        pango_layout_get_size(l, &w, &h);
        return double(w) / PANGO_SCALE;
    }
    static double layoutHeight(PangoLayout *l)
    {
        int w = 0, h = 0;
        pango_layout_get_size(l, &w, &h);
        return double(h) / PANGO_SCALE;
    }

    void setColor(const QString &color)
    {
        const ReportColor::Rgb c = ReportColor::rgb(color);
        cairo_set_source_rgb(m_cr, c.r, c.g, c.b);
    }
    void setColor(const char *color) { setColor(QString::fromLatin1(color)); }

    void show(PangoLayout *l, double x, double y, const QString &color)
    {
        setColor(color);
        cairo_move_to(m_cr, x, y);
        pango_cairo_update_layout(m_cr, l);
        pango_cairo_show_layout(m_cr, l);
    }

    // Draws `text` with its top-left at (x, y); returns its height.
    double text(const QString &text, double x, double y, const TextStyle &style)
    {
        LayoutPtr l = layout(text, style);
        show(l.get(), x, y, style.color);
        return layoutHeight(l.get());
    }

    // --- pages ---

    double bottomLimit() const { return m_page.contentBottom(); }
    bool fits(double h) const { return m_y + h <= bottomLimit() + 0.01; }
    void ensure(double h)
    {
        if (!fits(h) && m_y > m_page.top + 1)
            newPage();
    }

    void newPage()
    {
        if (m_pageNumber > 0)
            cairo_show_page(m_cr);
        ++m_pageNumber;
        m_y = m_page.top;
        if (m_pageNumber > 1)
            headerAndFooter();
    }

    void headerAndFooter()
    {
        const double w = m_page.contentWidth();
        TextStyle small{kSmallSize};
        small.color = QString::fromLatin1(kMuted);
        // Header: the report's title left, the project right, a rule below.
        LayoutPtr title = layout(m_doc.title, small);
        pango_layout_set_width(title.get(), int(w * 0.62 * PANGO_SCALE));
        pango_layout_set_ellipsize(title.get(), PANGO_ELLIPSIZE_END);
        show(title.get(), m_page.left, 34, small.color);
        if (!m_doc.project.isEmpty()) {
            TextStyle right = small;
            right.width = w * 0.36;
            right.align = PANGO_ALIGN_RIGHT;
            LayoutPtr project = layout(m_doc.project, right);
            pango_layout_set_ellipsize(project.get(), PANGO_ELLIPSIZE_START);
            show(project.get(), m_page.left + w * 0.64, 34, small.color);
        }
        setColor(kRule);
        cairo_set_line_width(m_cr, 0.6);
        cairo_move_to(m_cr, m_page.left, 48);
        cairo_line_to(m_cr, m_page.left + w, 48);
        cairo_stroke(m_cr);

        // Footer: a rule, what made it on the left, the page number on the right.
        const double fy = m_page.height - 40;
        setColor(kRule);
        cairo_move_to(m_cr, m_page.left, fy - 6);
        cairo_line_to(m_cr, m_page.left + w, fy - 6);
        cairo_stroke(m_cr);
        QString left = tr("MLOps Workbench report");
        if (m_doc.created.isValid())
            left += QStringLiteral(" \u00b7 ") + Format::dateTime(m_doc.created);
        text(left, m_page.left, fy, small);
        TextStyle right = small;
        right.width = w * 0.4;
        right.align = PANGO_ALIGN_RIGHT;
        const QString number =
            m_totalPages > 0 ? tr("Page %1 of %2").arg(m_pageNumber).arg(m_totalPages)
                             : tr("Page %1 of %2").arg(m_pageNumber).arg(QStringLiteral("00"));
        text(number, m_page.left + w * 0.6, fy, right);
    }

    void swatch(double x, double y, double size, const QString &color)
    {
        setColor(color);
        cairo_rectangle(m_cr, x, y, size, size);
        cairo_fill_preserve(m_cr);
        cairo_set_source_rgba(m_cr, 0, 0, 0, 0.18);
        cairo_set_line_width(m_cr, 0.4);
        cairo_stroke(m_cr);
    }

    // --- title page ---

    void titlePage()
    {
        newPage();
        const double x = m_page.left, w = m_page.contentWidth();
        // A band of the accent colour along the top edge: the cover's only ornament.
        setColor(kAccent);
        cairo_rectangle(m_cr, 0, 0, m_page.width, 8);
        cairo_fill(m_cr);

        double y = m_page.height * 0.17;
        TextStyle kicker{9, true};
        kicker.color = QString::fromLatin1(kAccent);
        y += text(tr("EVALUATION REPORT"), x, y, kicker) + 8;
        TextStyle title{24, true};
        title.width = w;
        y += text(m_doc.title.isEmpty() ? tr("Untitled report") : m_doc.title, x, y, title) + 14;
        setColor(kAccent);
        cairo_rectangle(m_cr, x, y, 56, 2.5);
        cairo_fill(m_cr);
        y += 20;

        // Project, author, date, runs: label above value, two columns.
        std::vector<std::pair<QString, QString>> meta;
        if (!m_doc.project.isEmpty())
            meta.emplace_back(tr("Project"), m_doc.project);
        if (!m_doc.author.isEmpty())
            meta.emplace_back(tr("Author"), m_doc.author);
        if (m_doc.created.isValid())
            meta.emplace_back(tr("Date"), Format::dateTime(m_doc.created));
        meta.emplace_back(tr("Runs"), QString::number(m_doc.runs.size()));
        TextStyle label{kSmallSize};
        label.color = QString::fromLatin1(kMuted);
        TextStyle value{11};
        value.width = w / 2 - 12;
        for (size_t i = 0; i < meta.size(); i += 2) {
            double rowHeight = 0;
            for (size_t j = i; j < std::min(meta.size(), i + 2); ++j) {
                const double cx = x + double(j - i) * (w / 2);
                const double lh = text(meta[j].first.toUpper(), cx, y, label);
                rowHeight =
                    std::max(rowHeight, lh + 2 + text(meta[j].second, cx, y + lh + 2, value));
            }
            y += rowHeight + 12;
        }
        y += 8;

        // The runs and their colours, as every chart and table of the report uses them.
        const double footerY = m_page.height - 70;
        if (!m_doc.runs.empty()) {
            y += text(tr("RUNS COMPARED"), x, y, label) + 6;
            const int n = int(m_doc.runs.size());
            const int columns = n <= 8 ? 1 : n <= 40 ? 2 : 3;
            const double rowH = 14;
            const int rowsWanted = (n + columns - 1) / columns;
            // Leave room for the contents when there is a choice.
            const double room =
                footerY - y -
                (m_doc.sections.empty() ? 0 : 40 + 14.0 * double(m_doc.sections.size()));
            const int rowsFit = std::max(1, int(std::max(room, 3 * rowH) / rowH));
            const int rows = std::min(rowsWanted, rowsFit);
            const int shown = std::min(n, rows * columns - (rows * columns < n ? 1 : 0));
            TextStyle name{kBodySize};
            name.width = w / columns - 22;
            for (int i = 0; i < shown; ++i) {
                const int col = i / rows, row = i % rows;
                const double cx = x + double(col) * (w / columns), cy = y + double(row) * rowH;
                swatch(cx, cy + 2.5, 8, m_doc.runs[size_t(i)].color);
                LayoutPtr l = layout(
                    Format::runName(m_doc.runs[size_t(i)].name, m_doc.runs[size_t(i)].id), name);
                pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
                show(l.get(), cx + 14, cy, name.color);
            }
            if (shown < n) {
                const int col = shown / rows, row = shown % rows;
                TextStyle more = name;
                more.italic = true;
                more.color = QString::fromLatin1(kMuted);
                text(QCoreApplication::translate("mlwb::PdfReportWriter",
                                                 "and %n more runs (see the tables)", nullptr,
                                                 n - shown),
                     x + double(col) * (w / columns) + 14, y + double(row) * rowH, more);
            }
            y += double(rows) * rowH + 18;
        }

        // Contents with page numbers (known in the second pass), linked to the sections.
        if (!m_doc.sections.empty() && y + 30 + 14.0 * double(m_doc.sections.size()) <= footerY) {
            y += text(tr("CONTENTS"), x, y, label) + 6;
            TextStyle entry{kBodySize};
            entry.width = w - 40;
            TextStyle number{kBodySize};
            number.width = 40;
            number.align = PANGO_ALIGN_RIGHT;
            number.color = QString::fromLatin1(kMuted);
            for (size_t i = 0; i < m_doc.sections.size(); ++i) {
                const Place place = i < m_knownSections.size() ? m_knownSections[i] : Place{};
                const int target = place.page;
                const bool link = !m_counting && target > 0;
                if (link) {
                    const QByteArray attrs = QStringLiteral("page=%1 pos=[%2 %3]")
                                                 .arg(target)
                                                 .arg(m_page.left)
                                                 .arg(std::max(0.0, place.y - 12))
                                                 .toUtf8();
                    cairo_tag_begin(m_cr, CAIRO_TAG_LINK, attrs.constData());
                }
                text(m_doc.sections[i].title, x, y, entry);
                text(target > 0 ? QString::number(target) : QString(), x + w - 40, y, number);
                if (link)
                    cairo_tag_end(m_cr, CAIRO_TAG_LINK);
                setColor(kFaintRule);
                cairo_set_line_width(m_cr, 0.5);
                cairo_move_to(m_cr, x, y + 13);
                cairo_line_to(m_cr, x + w, y + 13);
                cairo_stroke(m_cr);
                y += 14;
            }
        }

        TextStyle small{kSmallSize};
        small.color = QString::fromLatin1(kMuted);
        text(tr("Generated by MLOps Workbench %1").arg(QStringLiteral(MLWB_VERSION)), x,
             footerY + 22, small);
    }

    // --- sections and blocks ---

    void section(const ReportSection &s, int index)
    {
        // The first section begins after the title page; a later one on a new page only when
        // less than 40% of this one is left (a section's title must not end a page).
        const double contentHeight = bottomLimit() - m_page.top;
        if (index == 0 || bottomLimit() - m_y < 0.4 * contentHeight)
            newPage();
        else
            m_y += 20;
        TextStyle h{16, true};
        h.width = m_page.contentWidth();
        LayoutPtr title = layout(s.title, h);
        const double height = layoutHeight(title.get());
        m_pending.push_back({std::move(title), height, 0, 4 + 1.2 + 12, true, index});
        for (const ReportBlock &block : s.blocks) {
            if (const auto *b = std::get_if<ReportHeading>(&block))
                heading(*b);
            else if (const auto *p = std::get_if<ReportParagraph>(&block))
                paragraph(*p);
            else if (const auto *kv = std::get_if<ReportKeyValues>(&block))
                keyValues(*kv);
            else if (const auto *t = std::get_if<ReportTable>(&block))
                table(*t);
            else if (const auto *c = std::get_if<ReportChart>(&block))
                chart(*c);
            else if (const auto *m = std::get_if<ReportMatrix>(&block))
                matrix(*m);
        }
        begin(0); // headings with nothing after them
    }

    // Headings are drawn with the start of the block after them, never alone at a page's end:
    // begin(h) makes room for the pending headings plus the block's first piece (h tall), on
    // this page or the next, draws the headings, and leaves the cursor below them.
    void begin(double h)
    {
        double need = h;
        for (const Pending &p : m_pending)
            need += p.before + p.height + p.after;
        if (!fits(need) && m_y > m_page.top + 1)
            newPage();
        for (Pending &p : m_pending) {
            if (m_y > m_page.top + 1)
                m_y += p.before;
            if (p.section >= 0) {
                m_sections.push_back({m_pageNumber, m_y});
                if (!m_counting) {
                    const QByteArray name = m_doc.sections[size_t(p.section)].title.toUtf8();
                    const QByteArray attrs = QStringLiteral("page=%1 pos=[%2 %3]")
                                                 .arg(m_pageNumber)
                                                 .arg(m_page.left)
                                                 .arg(std::max(0.0, m_y - 12))
                                                 .toUtf8();
                    cairo_pdf_surface_add_outline(m_surface, CAIRO_PDF_OUTLINE_ROOT,
                                                  name.constData(), attrs.constData(),
                                                  CAIRO_PDF_OUTLINE_FLAG_OPEN);
                }
            }
            show(p.layout.get(), m_page.left, m_y, QString::fromLatin1(kInk));
            m_y += p.height;
            if (p.rule) {
                m_y += 4;
                setColor(kAccent);
                cairo_rectangle(m_cr, m_page.left, m_y, m_page.contentWidth(), 1.2);
                cairo_fill(m_cr);
                m_y += 1.2 + 12;
            } else {
                m_y += p.after;
            }
        }
        m_pending.clear();
    }

    void heading(const ReportHeading &h)
    {
        TextStyle style{h.level <= 1 ? 14.0 : h.level == 2 ? 12.0 : 10.5, true};
        style.width = m_page.contentWidth();
        LayoutPtr l = layout(h.text, style);
        const double height = layoutHeight(l.get());
        m_pending.push_back({std::move(l), height, 8, 6, false, -1});
    }

    // Lays text out at the content width minus `inset` and flows it line by line across pages;
    // `box` draws the background of each piece (warnings, notes) before its lines.
    void flow(LayoutPtr l, double inset, double padY, const QString &color,
              const std::function<void(double y, double h)> &box)
    {
        struct Line {
            PangoLayoutLine *line;
            double top, height, baseline, x;
        };
        std::vector<Line> lines;
        PangoLayoutIter *it = pango_layout_get_iter(l.get());
        do {
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, nullptr, &logical);
            lines.push_back({pango_layout_iter_get_line_readonly(it),
                             double(logical.y) / PANGO_SCALE, double(logical.height) / PANGO_SCALE,
                             double(pango_layout_iter_get_baseline(it)) / PANGO_SCALE,
                             double(logical.x) / PANGO_SCALE});
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);

        size_t i = 0;
        while (i < lines.size()) {
            // A piece starts with at least two lines (or the last one) on the page.
            const size_t first = std::min(lines.size(), i + 2) - 1;
            const double piece = lines[first].top + lines[first].height - lines[i].top + 2 * padY;
            if (i == 0)
                begin(piece);
            else
                ensure(piece);
            size_t j = i;
            const double origin = lines[i].top;
            while (j < lines.size() &&
                   m_y + padY + (lines[j].top + lines[j].height - origin) + padY <=
                       bottomLimit() + 0.01)
                ++j;
            if (j == i)
                j = i + 1; // a line taller than the page: draw it anyway
            const double h = lines[j - 1].top + lines[j - 1].height - origin + 2 * padY;
            if (box)
                box(m_y, h);
            setColor(color);
            pango_cairo_update_layout(m_cr, l.get());
            for (size_t k = i; k < j; ++k) {
                cairo_move_to(m_cr, m_page.left + inset + lines[k].x,
                              m_y + padY + lines[k].baseline - origin);
                pango_cairo_show_layout_line(m_cr, lines[k].line);
            }
            m_y += h;
            i = j;
            if (i < lines.size())
                newPage();
        }
    }

    void paragraph(const ReportParagraph &p)
    {
        const double w = m_page.contentWidth();
        if (p.tone == ReportParagraph::Tone::Normal) {
            TextStyle style{kBodySize};
            style.width = w;
            LayoutPtr l = layout(p.text, style);
            pango_layout_set_line_spacing(l.get(), 1.25);
            flow(std::move(l), 0, 0, style.color, {});
            m_y += 6;
            return;
        }
        const bool warning = p.tone == ReportParagraph::Tone::Warning;
        const QString fill = QString::fromLatin1(warning ? "#fff7e0" : "#f1f6fb");
        const QString bar = QString::fromLatin1(warning ? "#d99a00" : "#8fb3d9");
        const QString ink = QString::fromLatin1(warning ? "#4d3800" : "#2b3d52");
        TextStyle style{kBodySize};
        style.width = w - 22;
        QString markup;
        if (warning) {
            char *lead = g_markup_escape_text(tr("Warning:").toUtf8().constData(), -1);
            markup = QStringLiteral("<b>%1</b> ").arg(QString::fromUtf8(lead));
            g_free(lead);
        }
        const QByteArray body = printable(p.text).toUtf8();
        char *escaped = g_markup_escape_text(body.constData(), int(body.size()));
        markup += QString::fromUtf8(escaped);
        g_free(escaped);
        LayoutPtr l = layout(markup, style, true);
        pango_layout_set_line_spacing(l.get(), 1.2);
        m_y += 2;
        flow(std::move(l), 14, 6, ink, [&](double y, double h) {
            setColor(fill);
            cairo_rectangle(m_cr, m_page.left, y, w, h);
            cairo_fill(m_cr);
            setColor(bar);
            cairo_rectangle(m_cr, m_page.left, y, 3, h);
            cairo_fill(m_cr);
        });
        m_y += kBlockGap;
    }

    void keyValues(const ReportKeyValues &kv)
    {
        TableModel t;
        t.caption = kv.caption;
        t.keyValue = true;
        t.right = {false, false};
        for (const auto &[key, value] : kv.pairs)
            t.rows.push_back({key, value});
        drawTable(t);
    }

    void table(const ReportTable &r)
    {
        TableModel t;
        t.caption = r.caption;
        t.header = r.header;
        int columns = int(r.header.size());
        for (const QStringList &row : r.rows)
            columns = std::max(columns, int(row.size()));
        for (int c = 0; c < columns; ++c)
            t.right.push_back(c < int(r.align.size()) &&
                              r.align[size_t(c)] == ReportTable::Align::Right);
        t.rows = r.rows;
        t.emphasis = r.emphasis;
        bool anyRun = false;
        for (size_t i = 0; i < r.rows.size(); ++i) {
            const int run = i < r.rowRun.size() ? r.rowRun[i] : -1;
            const bool valid = run >= 0 && run < int(m_doc.runs.size());
            t.rowColor.push_back(valid ? m_doc.runs[size_t(run)].color : QString());
            anyRun = anyRun || valid;
        }
        if (!anyRun)
            t.rowColor.clear();
        drawTable(t);
    }

    std::vector<double> columnWidths(const TableModel &t, int columns, double size,
                                     double available)
    {
        std::vector<double> natural(size_t(columns), 24);
        TextStyle plain{size}, bold{size, true};
        const double swatchRoom = t.rowColor.empty() ? 0 : 12;
        LayoutPtr probe = layout(QString(), plain);
        LayoutPtr probeBold = layout(QString(), bold);
        auto measure = [&](PangoLayout *l, const QString &s) {
            const QByteArray u = s.toUtf8();
            pango_layout_set_text(l, u.constData(), int(u.size()));
            return layoutWidth(l);
        };
        for (int c = 0; c < columns; ++c) {
            double w = 0;
            if (c < t.header.size())
                w = measure(probeBold.get(), t.header[c]);
            for (size_t r = 0; r < t.rows.size(); ++r) {
                if (c >= t.rows[r].size())
                    continue;
                const bool em = (r < t.emphasis.size() && size_t(c) < t.emphasis[r].size() &&
                                 t.emphasis[r][size_t(c)]) ||
                                (t.keyValue && c == 0);
                w = std::max(w, measure(em ? probeBold.get() : probe.get(), t.rows[r][c]));
            }
            natural[size_t(c)] = w + 2 * kCellPadX + (c == 0 ? swatchRoom : 0) + 0.5;
        }
        if (t.keyValue && columns == 2) {
            const double key = std::min(natural[0], available * 0.36);
            return {key, available - key};
        }
        double sum = 0;
        for (double w : natural)
            sum += w;
        std::vector<double> widths = natural;
        if (sum <= available) {
            // Room to spare: every column grows in proportion, the table spans the page.
            for (double &w : widths)
                w += (available - sum) * w / sum;
            return widths;
        }
        // Too wide: columns narrower than an equal share of what is left keep their width; the
        // wide ones share the rest in proportion to their natural width, and wrap.
        std::vector<bool> fixed(size_t(columns), false);
        for (;;) {
            double fixedSum = 0, flexibleNatural = 0;
            int flexible = 0;
            for (int c = 0; c < columns; ++c) {
                if (fixed[size_t(c)]) {
                    fixedSum += natural[size_t(c)];
                } else {
                    flexibleNatural += natural[size_t(c)];
                    ++flexible;
                }
            }
            const double left = std::max(0.0, available - fixedSum);
            bool changed = false;
            for (int c = 0; c < columns && flexible > 0; ++c)
                if (!fixed[size_t(c)] && natural[size_t(c)] <= left / flexible) {
                    fixed[size_t(c)] = true;
                    changed = true;
                }
            if (changed)
                continue;
            for (int c = 0; c < columns; ++c)
                widths[size_t(c)] =
                    fixed[size_t(c)] ? natural[size_t(c)]
                                     : left * natural[size_t(c)] / std::max(1.0, flexibleNatural);
            break;
        }
        return widths;
    }

    void drawTable(const TableModel &t)
    {
        const double x0 = m_page.left, available = m_page.contentWidth();
        int columns = int(t.header.size());
        for (const QStringList &row : t.rows)
            columns = std::max(columns, int(row.size()));
        if (columns == 0)
            return;
        double size = kTableSize;
        std::vector<double> widths = columnWidths(t, columns, size, available);
        // Many columns: a smaller font before cells become a letter wide.
        if (*std::min_element(widths.begin(), widths.end()) < 34 && columns > 4) {
            size = 7;
            widths = columnWidths(t, columns, size, available);
        }
        auto cellLayouts = [&](const QStringList &cells, const std::vector<bool> *em, bool header,
                               double *height) {
            std::vector<LayoutPtr> out;
            double h = 0;
            for (int c = 0; c < columns; ++c) {
                TextStyle style{size};
                style.bold = header || (em && size_t(c) < em->size() && (*em)[size_t(c)]);
                if (t.keyValue && c == 0)
                    style.color = QString::fromLatin1(kMuted);
                const double swatchRoom = c == 0 && !t.rowColor.empty() ? 12 : 0;
                style.width = std::max(8.0, widths[size_t(c)] - 2 * kCellPadX - swatchRoom);
                style.align = t.right[size_t(c)] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
                out.push_back(layout(c < cells.size() ? cells[c] : QString(), style));
                h = std::max(h, layoutHeight(out.back().get()));
            }
            *height = h + 2 * kCellPadY;
            return out;
        };

        double headerHeight = 0;
        std::vector<LayoutPtr> headerCells;
        if (!t.header.isEmpty())
            headerCells = cellLayouts(t.header, nullptr, true, &headerHeight);
        auto drawHeader = [&] {
            if (headerCells.empty())
                return;
            setColor(kHeaderFill);
            cairo_rectangle(m_cr, x0, m_y, available, headerHeight);
            cairo_fill(m_cr);
            double cx = x0;
            for (int c = 0; c < columns; ++c) {
                const double indent = (c == 0 && !t.rowColor.empty()) ? 12 : 0;
                show(headerCells[size_t(c)].get(), cx + kCellPadX + indent, m_y + kCellPadY,
                     QString::fromLatin1(kInk));
                cx += widths[size_t(c)];
            }
            setColor(kRule);
            cairo_set_line_width(m_cr, 1);
            cairo_move_to(m_cr, x0, m_y + headerHeight);
            cairo_line_to(m_cr, x0 + available, m_y + headerHeight);
            cairo_stroke(m_cr);
            m_y += headerHeight;
        };
        auto drawCaption = [&](bool continued) {
            if (t.caption.isEmpty() && !continued)
                return;
            TextStyle style{kBodySize, true};
            style.width = available;
            style.color = QString::fromLatin1(kMuted);
            QString caption = t.caption;
            if (continued)
                caption = caption.isEmpty() ? tr("(continued)") : tr("%1 (continued)").arg(caption);
            m_y += text(caption, x0, m_y, style) + 4;
        };

        // Every row laid out first: a table that fits on one page is never split (no lone row
        // "continued" overleaf); a longer one starts where it is and repeats its header.
        std::vector<std::vector<LayoutPtr>> rowCells;
        std::vector<double> rowHeights;
        double tableHeight = (t.caption.isEmpty() ? 0 : 22) + headerHeight;
        for (size_t r = 0; r < t.rows.size(); ++r) {
            double h = 0;
            const std::vector<bool> *em = r < t.emphasis.size() ? &t.emphasis[r] : nullptr;
            rowCells.push_back(cellLayouts(t.rows[r], em, false, &h));
            rowHeights.push_back(h);
            tableHeight += h;
        }
        const double pageHeight = bottomLimit() - m_page.top;
        if (tableHeight <= pageHeight)
            begin(tableHeight);
        else
            begin(22 + headerHeight + (rowHeights.empty() ? 0 : rowHeights[0]) * 3);
        drawCaption(false);
        drawHeader();
        for (size_t r = 0; r < t.rows.size(); ++r) {
            const double rowHeight = rowHeights[r];
            const std::vector<LayoutPtr> &cells = rowCells[r];
            if (!fits(rowHeight)) {
                newPage();
                drawCaption(true);
                drawHeader();
            }
            if (!t.keyValue && r % 2 == 1) {
                setColor(kZebra);
                cairo_rectangle(m_cr, x0, m_y, available, rowHeight);
                cairo_fill(m_cr);
            }
            double cx = x0;
            for (int c = 0; c < columns; ++c) {
                double indent = 0;
                if (c == 0 && !t.rowColor.empty()) {
                    if (!t.rowColor[r].isEmpty())
                        swatch(cx + kCellPadX, m_y + kCellPadY + 1.5, 7, t.rowColor[r]);
                    indent = 12;
                }
                const bool em = t.keyValue && c == 0;
                show(cells[size_t(c)].get(), cx + kCellPadX + indent, m_y + kCellPadY,
                     QString::fromLatin1(em ? kMuted : kInk));
                cx += widths[size_t(c)];
            }
            setColor(kFaintRule);
            cairo_set_line_width(m_cr, 0.5);
            cairo_move_to(m_cr, x0, m_y + rowHeight);
            cairo_line_to(m_cr, x0 + available, m_y + rowHeight);
            cairo_stroke(m_cr);
            m_y += rowHeight;
        }
        m_y += kBlockGap + 4;
    }

    // --- charts ---

    void canvasText(const ChartLayout::Text &t)
    {
        TextStyle style{t.size};
        style.bold = t.role == ChartLayout::Text::Role::Title;
        style.italic = t.role == ChartLayout::Text::Role::Note;
        style.color =
            QString::fromLatin1(t.role == ChartLayout::Text::Role::Title ? ChartLayout::kTitleColor
                                                                         : ChartLayout::kTextColor);
        LayoutPtr l = layout(t.text, style);
        const double w = layoutWidth(l.get());
        const double baseline = double(pango_layout_get_baseline(l.get())) / PANGO_SCALE;
        const double dx = t.anchor == ChartLayout::Text::Anchor::Middle ? -w / 2
                          : t.anchor == ChartLayout::Text::Anchor::End  ? -w
                                                                        : 0;
        cairo_save(m_cr);
        cairo_translate(m_cr, t.at.x, t.at.y);
        if (t.vertical)
            cairo_rotate(m_cr, -std::numbers::pi / 2);
        show(l.get(), dx, -baseline, style.color);
        cairo_restore(m_cr);
    }

    void chart(const ReportChart &c)
    {
        const double w = HtmlReportWriter::kChartWidth, h = HtmlReportWriter::kChartHeight;
        const double scale = m_page.contentWidth() / w;
        begin(h * scale + 6);
        const ChartLayout layout(c, w, h);
        const ChartLayout::Rect &plot = layout.plot();
        cairo_save(m_cr);
        cairo_translate(m_cr, m_page.left, m_y);
        cairo_scale(m_cr, scale, scale);
        cairo_set_line_cap(m_cr, CAIRO_LINE_CAP_BUTT);

        setColor(ChartLayout::kGridColor);
        cairo_set_line_width(m_cr, ChartLayout::kGridWidth);
        for (const ChartLayout::Tick &t : layout.xAxis().ticks) {
            cairo_move_to(m_cr, t.position, plot.y);
            cairo_line_to(m_cr, t.position, plot.bottom());
        }
        for (const ChartLayout::Tick &t : layout.yAxis().ticks) {
            cairo_move_to(m_cr, plot.x, t.position);
            cairo_line_to(m_cr, plot.right(), t.position);
        }
        cairo_stroke(m_cr);

        cairo_set_line_cap(m_cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_join(m_cr, CAIRO_LINE_JOIN_ROUND);
        const double dash[] = {6, 4};
        for (const ChartLayout::SeriesShape &s : layout.series()) {
            setColor(s.color);
            if (s.style == ReportSeries::Style::Points) {
                for (const ChartLayout::Point &p : s.points) {
                    cairo_new_sub_path(m_cr);
                    cairo_arc(m_cr, p.x, p.y, ChartLayout::kPointRadius, 0, 2 * std::numbers::pi);
                }
                cairo_fill(m_cr);
                continue;
            }
            cairo_set_line_width(m_cr, ChartLayout::kLineWidth);
            cairo_set_dash(m_cr, dash, s.style == ReportSeries::Style::Dashed ? 2 : 0, 0);
            for (const std::vector<ChartLayout::Point> &line : s.lines) {
                cairo_move_to(m_cr, line.front().x, line.front().y);
                if (line.size() == 1)
                    cairo_line_to(m_cr, line.front().x, line.front().y); // a dot (round cap)
                for (size_t i = 1; i < line.size(); ++i)
                    cairo_line_to(m_cr, line[i].x, line[i].y);
            }
            cairo_stroke(m_cr);
        }
        cairo_set_dash(m_cr, nullptr, 0, 0);

        setColor(ChartLayout::kAxisColor);
        cairo_set_line_width(m_cr, 1);
        cairo_set_line_cap(m_cr, CAIRO_LINE_CAP_BUTT);
        cairo_move_to(m_cr, plot.x, plot.y);
        cairo_line_to(m_cr, plot.x, plot.bottom());
        cairo_line_to(m_cr, plot.right(), plot.bottom());
        for (const ChartLayout::Tick &t : layout.xAxis().ticks) {
            cairo_move_to(m_cr, t.position, plot.bottom());
            cairo_line_to(m_cr, t.position, plot.bottom() + 4);
        }
        for (const ChartLayout::Tick &t : layout.yAxis().ticks) {
            cairo_move_to(m_cr, plot.x, t.position);
            cairo_line_to(m_cr, plot.x - 4, t.position);
        }
        cairo_stroke(m_cr);

        const double legendDash[] = {5, 3};
        for (const ChartLayout::LegendEntry &e : layout.legend()) {
            setColor(e.color);
            if (e.style == ReportSeries::Style::Points) {
                cairo_arc(m_cr, e.swatch.x + e.swatchWidth / 2, e.swatch.y,
                          ChartLayout::kPointRadius + 0.6, 0, 2 * std::numbers::pi);
                cairo_fill(m_cr);
                continue;
            }
            cairo_set_line_width(m_cr, 2.4);
            cairo_set_dash(m_cr, legendDash, e.style == ReportSeries::Style::Dashed ? 2 : 0, 0);
            cairo_move_to(m_cr, e.swatch.x, e.swatch.y);
            cairo_line_to(m_cr, e.swatch.x + e.swatchWidth, e.swatch.y);
            cairo_stroke(m_cr);
        }
        cairo_set_dash(m_cr, nullptr, 0, 0);

        for (const ChartLayout::Text &t : layout.texts())
            canvasText(t);
        cairo_restore(m_cr);
        m_y += h * scale + kBlockGap;
    }

    // --- confusion matrices ---

    void matrix(const ReportMatrix &m)
    {
        const double x0 = m_page.left, available = m_page.contentWidth();
        int n = int(std::max<size_t>(size_t(m.labels.size()), m.counts.size()));
        for (const auto &row : m.counts)
            n = std::max(n, int(row.size()));
        if (n == 0)
            return;
        auto label = [&](int i) { return i < m.labels.size() ? m.labels[i] : QString::number(i); };
        const double size = n > 14 ? 6.5 : 8;
        TextStyle labelStyle{size};
        labelStyle.color = QString::fromLatin1(kMuted);
        double labelWidth = 0;
        for (int i = 0; i < n; ++i) {
            LayoutPtr l = layout(label(i), labelStyle);
            labelWidth = std::max(labelWidth, layoutWidth(l.get()));
        }
        const double rowHeader = std::min(available * 0.3, labelWidth + 10);
        const double cell = std::clamp((available - rowHeader - 14) / n, 8.0, 40.0);
        const double cellH = std::min(cell, 22.0);
        const bool rotate = labelWidth > cell - 4;
        const double headerH = rotate ? std::min(labelWidth, 90.0) + 8 : size + 8;
        const double titleH = m.title.isEmpty() ? 0 : 18;
        const double total = titleH + 14 + headerH + cellH * n + 8;
        begin(total);
        if (!m.title.isEmpty()) {
            double tx = x0;
            if (m.run >= 0 && m.run < int(m_doc.runs.size())) {
                swatch(x0, m_y + 2.5, 8, m_doc.runs[size_t(m.run)].color);
                tx += 13;
            }
            TextStyle title{kBodySize, true};
            title.width = available - (tx - x0);
            text(m.title, tx, m_y, title);
            m_y += titleH;
        }
        const double gridX = x0 + rowHeader;
        TextStyle axisStyle{kSmallSize, false, true};
        axisStyle.color = QString::fromLatin1(kMuted);
        text(tr("predicted \u2192"), gridX, m_y, axisStyle);
        text(tr("actual \u2193"), x0, m_y + 14 + headerH - kSmallSize - 6, axisStyle);
        m_y += 14;
        for (int c = 0; c < n; ++c) {
            LayoutPtr l = layout(label(c), labelStyle);
            const double w = layoutWidth(l.get());
            if (rotate) {
                cairo_save(m_cr);
                cairo_translate(m_cr, gridX + c * cell + cell / 2 - size * 0.6, m_y + headerH - 4);
                cairo_rotate(m_cr, -std::numbers::pi / 2);
                show(l.get(), 0, 0, labelStyle.color);
                cairo_restore(m_cr);
            } else {
                show(l.get(), gridX + c * cell + (cell - w) / 2, m_y + headerH - size - 6,
                     labelStyle.color);
            }
        }
        m_y += headerH;
        for (int r = 0; r < n; ++r) {
            const std::vector<double> empty;
            const std::vector<double> &row =
                size_t(r) < m.counts.size() ? m.counts[size_t(r)] : empty;
            double sum = 0;
            for (double v : row)
                if (std::isfinite(v))
                    sum += v;
            TextStyle rowLabel = labelStyle;
            rowLabel.width = rowHeader - 8;
            rowLabel.align = PANGO_ALIGN_RIGHT;
            LayoutPtr rl = layout(label(r), rowLabel);
            pango_layout_set_ellipsize(rl.get(), PANGO_ELLIPSIZE_END);
            show(rl.get(), x0, m_y + (cellH - layoutHeight(rl.get())) / 2, labelStyle.color);
            for (int c = 0; c < n; ++c) {
                const double v = size_t(c) < row.size() ? row[size_t(c)] : std::nan("");
                const double share = sum > 0 && std::isfinite(v) ? v / sum : 0;
                const QString bg =
                    ReportColor::tint(QString::fromLatin1(kMatrixShade), share * 0.92);
                setColor(bg);
                cairo_rectangle(m_cr, gridX + c * cell, m_y, cell, cellH);
                cairo_fill(m_cr);
                setColor(QStringLiteral("#ffffff"));
                cairo_set_line_width(m_cr, 1);
                cairo_rectangle(m_cr, gridX + c * cell, m_y, cell, cellH);
                cairo_stroke(m_cr);
                if (size_t(c) >= row.size())
                    continue;
                QString count;
                if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
                    count = QString::number(qint64(v));
                else
                    count = Format::metric(v);
                TextStyle cs{size, r == c};
                cs.color = ReportColor::textOn(bg);
                LayoutPtr cl = layout(count, cs);
                const double w = layoutWidth(cl.get());
                if (w <= cell - 2)
                    show(cl.get(), gridX + c * cell + (cell - w) / 2,
                         m_y + (cellH - layoutHeight(cl.get())) / 2, cs.color);
            }
            m_y += cellH;
        }
        m_y += kBlockGap + 6;
    }

    void setMetadata()
    {
        auto set = [&](cairo_pdf_metadata_t key, const QString &value) {
            if (value.isEmpty())
                return;
            const QByteArray u = value.toUtf8();
            cairo_pdf_surface_set_metadata(m_surface, key, u.constData());
        };
        set(CAIRO_PDF_METADATA_TITLE, m_doc.title);
        set(CAIRO_PDF_METADATA_AUTHOR, m_doc.author);
        set(CAIRO_PDF_METADATA_CREATOR,
            QStringLiteral("MLOps Workbench %1").arg(QStringLiteral(MLWB_VERSION)));
        set(CAIRO_PDF_METADATA_SUBJECT, m_doc.project.isEmpty()
                                            ? tr("Evaluation report")
                                            : tr("Evaluation report: %1").arg(m_doc.project));
        if (m_doc.created.isValid()) {
            set(CAIRO_PDF_METADATA_CREATE_DATE, isoDate(m_doc.created));
            set(CAIRO_PDF_METADATA_MOD_DATE, isoDate(m_doc.created));
        }
    }

    const ReportDocument &m_doc;
    Page m_page;
    bool m_counting;
    int m_totalPages;
    struct Pending {
        LayoutPtr layout;
        double height, before, after;
        bool rule;   // a section's title, with the accent rule under it
        int section; // index of the section it titles, or -1
    };
    std::vector<Pending> m_pending;     // headings waiting for the block they lead
    std::vector<Place> m_knownSections; // from the first pass
    std::vector<Place> m_sections;
    cairo_surface_t *m_surface = nullptr;
    cairo_t *m_cr = nullptr;
    PangoContext *m_pango = nullptr;
    int m_pageNumber = 0;
    double m_y = 0;
};

} // namespace

Result<QByteArray> PdfReportWriter::render(const ReportDocument &document,
                                           const PdfReportOptions &options)
{
    const Page page =
        options.paper == PdfReportOptions::Paper::Letter ? Page{612, 792} : Page{595.276, 841.89};
    // First pass: how many pages, where each section starts.
    Renderer counting(document, page, true, 0, {});
    if (Result<void> r = counting.run(nullptr); !r)
        return r.failure();
    QByteArray bytes;
    Renderer drawing(document, page, false, counting.pages(), counting.sectionPlaces());
    if (Result<void> r = drawing.run(&bytes); !r)
        return r.failure();
    if (drawing.pages() != counting.pages())
        return fail(QStringLiteral("PDF: the two layout passes disagree on the page count (%1, %2)")
                        .arg(counting.pages())
                        .arg(drawing.pages()));
    return bytes;
}

Result<void> PdfReportWriter::write(const ReportDocument &document, const QString &path,
                                    const PdfReportOptions &options)
{
    Result<QByteArray> bytes = render(document, options);
    if (!bytes)
        return bytes.failure().reworded(QStringLiteral("%1: %2").arg(path, bytes.error()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return ioError(
            QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString()));
    if (file.write(*bytes) != bytes->size() || !file.commit())
        return ioError(
            QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString()));
    return {};
}

} // namespace mlwb
