// SPDX-License-Identifier: MIT
// Dark mode as the app applies it (Theme::apply, as app/workbench/main.cpp does): disabled
// toolbar icons look disabled, unchecked check boxes are visible; light mode keeps both.

#include "mainwindow/theme.h"
#include "ui_fixture.h"

#include <QApplication>
#include <QCheckBox>
#include <QPainter>
#include <QStyleOptionViewItem>
#include <QToolBar>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace mlwb::test {
namespace {

QApplication &application() { return *qobject_cast<QApplication *>(QCoreApplication::instance()); }

int lightness(QRgb c) { return QColor::fromRgb(c).lightness(); }

// How far a rendered button stands out from the window behind it: the mean lightness difference
// of its pixels from the window colour.
double ink(const QImage &image, const QColor &window)
{
    double sum = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            sum += std::abs(lightness(image.pixel(x, y)) - window.lightness());
    return sum / (image.width() * image.height());
}

// The least contrast of the indicator's border with the colour around it and the colour inside
// it, taken at its best pixel on the outer two-pixel ring of the indicator rectangle.
int borderContrast(const QImage &image, const QRect &indicator, const QColor &outside,
                   const QColor &inside)
{
    int best = 0;
    for (int y = indicator.top(); y <= indicator.bottom(); ++y)
        for (int x = indicator.left(); x <= indicator.right(); ++x) {
            const bool ring = x - indicator.left() < 2 || indicator.right() - x < 2 ||
                              y - indicator.top() < 2 || indicator.bottom() - y < 2;
            if (!ring)
                continue;
            const int l = lightness(image.pixel(x, y));
            best = std::max(best, std::min(std::abs(l - outside.lightness()),
                                           std::abs(l - inside.lightness())));
        }
    return best;
}

class ThemeTest : public UiTest {
protected:
    void SetUp() override
    {
        UiTest::SetUp();
        // Test mode hides the system's data directories, and with them the icon themes the app
        // finds there (breeze, breeze-dark): look where the XDG base directory rules say.
        m_iconPaths = QIcon::themeSearchPaths();
        QStringList paths = m_iconPaths;
        const QString dirs = qEnvironmentVariable("XDG_DATA_DIRS", QStringLiteral("/usr/local/share:/usr/share"));
        for (const QString &dir : dirs.split(u':', Qt::SkipEmptyParts))
            paths << dir + QStringLiteral("/icons");
        QIcon::setThemeSearchPaths(paths);
    }
    void TearDown() override
    {
        UiTest::TearDown();
        Theme::apply(application(), Theme::Scheme::Light);
        QIcon::setThemeSearchPaths(m_iconPaths);
    }

    // An unchecked QCheckBox as a dialog shows it: its indicator's border against the window
    // around it and the base colour inside it.
    static int checkBoxContrast()
    {
        QWidget dialog;
        auto *box = new QCheckBox(QStringLiteral("Shuffle"), &dialog);
        box->move(10, 10);
        dialog.resize(200, 60);
        dialog.show();
        QStyleOptionButton option;
        option.initFrom(box);
        const QRect indicator = box->style()->subElementRect(QStyle::SE_CheckBoxIndicator, &option, box)
                                    .translated(box->pos());
        const QImage image = dialog.grab().toImage();
        return borderContrast(image, indicator, dialog.palette().color(QPalette::Window),
                              dialog.palette().color(QPalette::Base));
    }

    // The check indicator of an item view row (the column pickers, the explorer), drawn on the
    // view's base colour.
    static int itemViewCheckContrast()
    {
        QStyle *style = QApplication::style();
        const QPalette palette = QApplication::palette();
        QImage image(24, 24, QImage::Format_ARGB32_Premultiplied);
        image.fill(palette.color(QPalette::Base));
        QStyleOptionViewItem option;
        option.palette = palette;
        option.rect = QRect(4, 4, 16, 16);
        option.state = QStyle::State_Enabled | QStyle::State_Off;
        {
            QPainter painter(&image);
            style->drawPrimitive(QStyle::PE_IndicatorItemViewItemCheck, &option, &painter);
        }
        // The base colour is both around and inside the indicator here.
        return borderContrast(image, option.rect, palette.color(QPalette::Base),
                              palette.color(QPalette::Base));
    }

    QStringList m_iconPaths;
};

TEST_F(ThemeTest, DisabledToolbarIconsLookDisabledInDarkMode)
{
    ASSERT_TRUE(Theme::apply(application(), Theme::Scheme::Dark));
    MainWindow &window = openWindow();
    const QList<QToolBar *> bars = window.findChildren<QToolBar *>();
    ASSERT_FALSE(bars.isEmpty());
    // Icons alone (the toolbar shows text beside them, and disabled text is dimmed already),
    // each action's icon on a button of its own, once enabled and once disabled.
    QToolBar bar;
    bar.setToolButtonStyle(Qt::ToolButtonIconOnly);
    bar.setIconSize(bars.first()->iconSize());
    int compared = 0;
    for (QToolBar *windowBar : bars)
        for (QAction *action : windowBar->actions()) {
            if (action->isSeparator())
                continue;
            EXPECT_FALSE(action->icon().isNull()) << qPrintable(action->text());
            QAction *copy = bar.addAction(action->icon(), action->text());
            bar.show();
            auto *button = qobject_cast<QToolButton *>(bar.widgetForAction(copy));
            ASSERT_NE(button, nullptr);
            const QColor background = bar.palette().color(QPalette::Window);
            copy->setEnabled(true);
            const double enabled = ink(button->grab().toImage(), background);
            copy->setEnabled(false);
            const double disabled = ink(button->grab().toImage(), background);
            EXPECT_GT(enabled, 0.0) << qPrintable(action->text());
            EXPECT_LT(disabled, 0.6 * enabled)
                << qPrintable(action->text()) << ": enabled " << enabled << ", disabled " << disabled;
            ++compared;
        }
    EXPECT_GE(compared, 4);
}

TEST_F(ThemeTest, UncheckedCheckBoxesAreVisibleInDarkAndLightMode)
{
    ASSERT_TRUE(Theme::apply(application(), Theme::Scheme::Dark));
    EXPECT_GE(checkBoxContrast(), 30) << "dark: the unchecked check box's border";
    EXPECT_GE(itemViewCheckContrast(), 30) << "dark: an item view's unchecked check indicator";
    ASSERT_FALSE(Theme::apply(application(), Theme::Scheme::Light));
    EXPECT_GE(checkBoxContrast(), 30) << "light: the unchecked check box's border";
    EXPECT_GE(itemViewCheckContrast(), 30) << "light: an item view's unchecked check indicator";
}

} // namespace
} // namespace mlwb::test
