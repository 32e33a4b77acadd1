with

source as (

    select * from {{ source('ops', 'closed_charges') }}

),

renamed as (

    select * from source

)

select * from renamed
