<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>mlwb</name>
    <message numerus="yes">
        <source>%n runs</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Compare %n runs</source>
        <translation>
            <numerusform>Compare %n run</numerusform>
            <numerusform>Compare %n runs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::CompareChartView</name>
    <message numerus="yes">
        <source> – %n points at or below zero not shown on the log scale</source>
        <translation>
            <numerusform> – %n point at or below zero not shown on the log scale</numerusform>
            <numerusform> – %n points at or below zero not shown on the log scale</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more runs</source>
        <translation>
            <numerusform>… and %n more run</numerusform>
            <numerusform>… and %n more runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>MLOps Workbench: %1 of %n runs</source>
        <translation>
            <numerusform>MLOps Workbench: %1 of %n run</numerusform>
            <numerusform>MLOps Workbench: %1 of %n runs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::DatasetOverview</name>
    <message numerus="yes">
        <source>%n rows</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n columns</source>
        <translation>
            <numerusform>%n column</numerusform>
            <numerusform>%n columns</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::DistributionChartView</name>
    <message numerus="yes">
        <source>%1: %n rows</source>
        <translation>
            <numerusform>%1: %n row</numerusform>
            <numerusform>%1: %n rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::ImportDatasetDialog</name>
    <message numerus="yes">
        <source>columns: %n</source>
        <translation>
            <numerusform>columns: %n</numerusform>
            <numerusform>columns: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>rows: %n</source>
        <translation>
            <numerusform>rows: %n</numerusform>
            <numerusform>rows: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>types from the first rows: %n</source>
        <translation>
            <numerusform>types from the first rows: %n</numerusform>
            <numerusform>types from the first rows: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::ModelBuilder</name>
    <message numerus="yes">
        <source>%n layers</source>
        <translation>
            <numerusform>%n layer</numerusform>
            <numerusform>%n layers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n classes</source>
        <translation>
            <numerusform>%n class</numerusform>
            <numerusform>%n classes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n regression targets</source>
        <translation>
            <numerusform>%n regression target</numerusform>
            <numerusform>%n regression targets</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::ModelOverview</name>
    <message numerus="yes">
        <source>%n layers</source>
        <translation>
            <numerusform>%n layer</numerusform>
            <numerusform>%n layers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n layers changed</source>
        <translation>
            <numerusform>%n layer changed</numerusform>
            <numerusform>%n layers changed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n added</source>
        <translation>
            <numerusform>%n added</numerusform>
            <numerusform>%n added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n removed</source>
        <translation>
            <numerusform>%n removed</numerusform>
            <numerusform>%n removed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::SplitEditor</name>
    <message numerus="yes">
        <source>%n runs were trained on the current split. Their stored scores stay, but evaluating them again on a new test part would include rows they trained on.</source>
        <translation>
            <numerusform>%n run was trained on the current split. Their stored scores stay, but evaluating them again on a new test part would include rows they trained on.</numerusform>
            <numerusform>%n runs were trained on the current split. Their stored scores stay, but evaluating them again on a new test part would include rows they trained on.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::ChartLayout</name>
    <message numerus="yes">
        <source>%n points not shown (NaN, infinite, or not positive on a log axis)</source>
        <translation>
            <numerusform>%n point not shown (NaN, infinite, or not positive on a log axis)</numerusform>
            <numerusform>%n points not shown (NaN, infinite, or not positive on a log axis)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mlwb::PdfReportWriter</name>
    <message numerus="yes">
        <source>and %n more runs (see the tables)</source>
        <translation>
            <numerusform>and %n more run (see the tables)</numerusform>
            <numerusform>and %n more runs (see the tables)</numerusform>
        </translation>
    </message>
</context>
</TS>
