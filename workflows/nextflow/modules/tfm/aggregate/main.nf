// nf-core-style module: one score per (miRNA, mRNA) pair from the site scores (tfm-aggregate).
process TFM_AGGREGATE {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "tfm:0.2.0"   // packaging/Dockerfile; Bioconda's biocontainer once the recipe is in

    input:
    tuple val(meta), path(scores)

    output:
    tuple val(meta), path("*.pairs.tsv.gz"), emit: pairs
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    tfm-aggregate ${args} -o ${prefix}.pairs.tsv.gz ${scores}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-aggregate: \$(tfm-aggregate --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo | gzip > ${prefix}.pairs.tsv.gz
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-aggregate: \$(tfm-aggregate --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """
}
